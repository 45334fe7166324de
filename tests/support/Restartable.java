package tests.support;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import lib.Disk;

/**
 * A run of one node, as Maelstrom's kill fault makes it: a bash of its own starts the
 * node script through maelstrom.sh from the temp dir, and starts it again each time it
 * ends, on the same stdin and stdout. The bash is the run, the parent every incarnation
 * shares, as Maelstrom's JVM is; each Restartable is a run of its own.
 */
public final class Restartable implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = Path.of("").toAbsolutePath();

    private final Process run;
    private final Writer in;
    private final BufferedReader out;

    private Restartable(Process run) {
        this.run = run;
        this.in = new OutputStreamWriter(run.getOutputStream(), StandardCharsets.UTF_8);
        this.out = new BufferedReader(new InputStreamReader(run.getInputStream(), StandardCharsets.UTF_8));
    }

    /**
     * Starts a run of {@code incarnations} starts of the node {@code name} (a workload or
     * a script's path), with {@code args}; its stderr is discarded.
     */
    public static Restartable start(int incarnations, String name, String... args) throws IOException {
        var command = new ArrayList<>(List.of("bash", "-c",
                "for ((i = 0; i < $0; i++)); do \"$@\"; done; exit 0", // not exec'd: the bash stays the parent
                String.valueOf(incarnations), ROOT.resolve("maelstrom.sh").toString(), name));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(Path.of(System.getProperty("java.io.tmpdir")).toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        return new Restartable(p);
    }

    /** Writes a line to the node's stdin. */
    public void send(String line) throws IOException {
        in.write(line + "\n");
        in.flush();
    }

    /** Sends {@code body} from {@code src} to {@code dest}. */
    public void send(String src, String dest, String body) throws IOException {
        send("{\"src\":\"" + src + "\",\"dest\":\"" + dest + "\",\"body\":" + body + "}");
    }

    /** Sends init to the node as {@code id} of {@code all}, and returns the answer's body. */
    public JsonNode init(String id, String... all) throws IOException, InterruptedException {
        send("c0", id, "{\"type\":\"init\",\"node_id\":\"" + id + "\",\"node_ids\":[\"" + String.join("\",\"", all)
                + "\"],\"msg_id\":0}");
        return nextTo("c0", Duration.ofSeconds(20)).get("body");
    }

    /** The next message the node prints, or null when none comes {@code within}. */
    public JsonNode next(Duration within) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!out.ready()) {
            if (System.nanoTime() > deadline) return null;
            Thread.sleep(5);
        }
        String line = out.readLine();
        assertNotNull(line, "the node ended its output");
        return JSON.readTree(line);
    }

    /**
     * The next line the node prints, ending in its newline, or its first {@code max}
     * characters without one when it is longer: the rest stays unread (the node writing
     * it waits on the full pipe meanwhile) and the next call goes on with it. Null when
     * nothing comes {@code within}.
     */
    public String nextChunk(int max, Duration within) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!out.ready()) {
            if (System.nanoTime() > deadline) return null;
            Thread.sleep(5);
        }
        var chunk = new StringBuilder();
        for (int c; chunk.length() < max && (c = out.read()) >= 0; ) {
            chunk.append((char) c);
            if (c == '\n') break;
        }
        return chunk.toString();
    }

    /** The next message to {@code dest}, skipping others; fails after {@code within}. */
    public JsonNode nextTo(String dest, Duration within) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        for (JsonNode m; (m = next(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) != null; ) {
            if (m.path("dest").asText().equals(dest)) return m;
        }
        throw new AssertionError("nothing sent to " + dest + " within " + within);
    }

    /** The body of the answer to {@code dest}'s request {@code msgId}, skipping other messages; fails after {@code within}. */
    public JsonNode replyTo(String dest, long msgId, Duration within) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            JsonNode body = nextTo(dest, Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))).get("body");
            if (body.path("in_reply_to").asLong(-1) == msgId) return body;
        }
    }

    /** Sends a client's request and returns the body of its answer. */
    public JsonNode call(String client, String dest, String body) throws IOException, InterruptedException {
        send(client, dest, body);
        return replyTo(client, JSON.readTree(body).path("msg_id").asLong(), Duration.ofSeconds(10));
    }

    /** The folder where node {@code nodeId} of this run keeps its state (lib/Disk owns where that is). */
    public Path folder(String nodeId) {
        return Disk.open(Path.of(System.getProperty("java.io.tmpdir"), Disk.ROOT), run.toHandle(), nodeId).folder();
    }

    /** SIGKILLs the running incarnation and waits for it to end; the bash starts the next. */
    public void kill() throws InterruptedException {
        Optional<ProcessHandle> node = run.toHandle().children().findFirst();
        assertTrue(node.isPresent(), "no node is running");
        node.get().destroyForcibly();
        node.get().onExit().orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Override
    public void close() {
        run.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        run.destroyForcibly();
    }
}
