package tests.challenges;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bench.GCounterWorkload;
import bench.Options;
import bench.Results;
import bench.Runner;
import bench.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Challenge 4 against g-counter.java on the bench: the official flags (3 nodes, rate 100,
 * partitions) with a shorter run, partitions every second and a one-second quiet period,
 * on many seeds. Each run must be valid: every final read is the exact total (the
 * checker allows only the sum of the acknowledged adds, plus any adds of unknown outcome).
 * The quiet period must stay above the script's --max-staleness (0.5 s) for that.
 */
class GCounterTest {

    static final Path ROOT = Path.of("").toAbsolutePath();
    static final double TIME_LIMIT = 5;
    static final double NEMESIS_INTERVAL = 1;
    static final double QUIET_PERIOD = 1;
    /** Adds cost one cas; refreshes at most two per node per second: about one message per op at rate 100. */
    static final double MAX_SERVERS_MSGS_PER_OP = 2;

    @BeforeAll
    static void prepare() throws Exception {
        var build = new ProcessBuilder(ROOT.resolve("maelstrom.sh").toString(), "--prepare", "g-counter")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertEquals(0, build.waitFor(), "maelstrom.sh --prepare failed");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void part4FinalReadsSeeTheTotalThroughPartitions(long seed) throws Exception {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS"));
        var options = new Options("g-counter", ROOT.resolve("maelstrom.sh").toRealPath(), List.of("g-counter"), 3,
                TIME_LIMIT, 100, 0, Options.LatencyDist.CONSTANT, "grid", true, NEMESIS_INTERVAL, 3, null, QUIET_PERIOD,
                seed, ROOT.resolve("store/tests/g-counter/" + stamp), List.of("strict-serializable"), 4, 16, null);
        Files.createDirectories(options.runDir());
        Results results = Runner.run(options, new GCounterWorkload(options), System.err);
        results.write();
        System.out.printf("4, seed %d: %d ok of %d, servers msgs-per-op %.3f, %s%n", seed, results.okCount(),
                results.opCount(), results.serversMsgsPerOp(), results.verdict() == null ? "no verdict"
                        : results.verdict().details().get("final-reads"));

        Verdict verdict = results.verdict();
        assertEquals(Verdict.Validity.VALID, results.validity(), () -> "findings " + (verdict == null ? "none"
                : verdict.findings()) + ", problems " + results.problems() + ", see " + options.runDir());
        assertEquals(3, verdict.details().get("final-reads").size(), "a final read from each of the 3 clients");
        assertTrue(results.serversMsgsPerOp() < MAX_SERVERS_MSGS_PER_OP, "servers msgs-per-op " + results.serversMsgsPerOp());
    }
}
