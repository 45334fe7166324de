package tests.support;

import bench.Json;
import bench.report.Results;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;

/** A bench run's history as it wrote it: history.jsonl, one operation per line. */
public final class Histories {

    private Histories() {
    }

    /** Every operation of the run, in invocation order. */
    public static List<JsonNode> of(Results results) throws IOException {
        try (var lines = Files.lines(results.options().runDir().resolve("history.jsonl"))) {
            return lines.map(line -> {
                try {
                    return Json.MAPPER.readTree(line);
                } catch (IOException e) {
                    throw new UncheckedIOException(line, e);
                }
            }).toList();
        }
    }

    /** The operations of type {@code f} ("crash", "send", ...). */
    public static List<JsonNode> of(Results results, String f) throws IOException {
        return of(results).stream().filter(op -> op.path("f").asText().equals(f)).toList();
    }
}
