package tests.challenges;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bench.Options;
import bench.Results;
import bench.Runner;
import bench.Verdict;
import bench.Workloads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Challenges 5a and 5c against kafka.java on the bench, with the official flags (rate
 * 1000, concurrency 2n) but a shorter run and a one-second quiet period; and the 5b
 * command under partitions every second, where only correctness is asked. The checker
 * covers lost and unseen writes, skips, monotonic offsets, offsets agreeing across nodes
 * and committed offsets going back (a warning in its details, asserted empty here).
 */
class KafkaTest {

    static final Path ROOT = Path.of("").toAbsolutePath();
    static final double TIME_LIMIT = 6;
    static final double NEMESIS_INTERVAL = 1;
    static final double QUIET_PERIOD = 1;
    /** The 5c target is 2; forwards and copies are batched, which measures about 0.42. */
    static final double MAX_SERVERS_MSGS_PER_OP = 1;

    @BeforeAll
    static void prepare() throws Exception {
        var build = new ProcessBuilder(ROOT.resolve("maelstrom.sh").toString(), "--prepare", "kafka")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertEquals(0, build.waitFor(), "maelstrom.sh --prepare failed");
    }

    @Test
    void part5aOneNode() throws Exception {
        Results results = run("5a", 1, false, 1);
        assertEquals(results.opCount(), results.okCount(), "every operation answered ok");
        assertEquals(0, results.net().servers().msgCount(), "one node needs no other");
    }

    @Test
    void part5cTwoNodesFewMessagesEveryOperationOk() throws Exception {
        Results results = run("5c", 2, false, 1);
        assertEquals(results.opCount(), results.okCount(), "availability 1.0: every operation answered ok");
        double perOp = (double) results.net().servers().msgCount() / results.verdict().details().path("maelstrom_ops").asLong();
        assertTrue(perOp < MAX_SERVERS_MSGS_PER_OP, "servers msgs-per-op (Maelstrom's op count) " + perOp);
    }

    @ParameterizedTest(name = "5b through partitions, seed {0}")
    @ValueSource(longs = {2, 3})
    void part5bThroughPartitions(long seed) throws Exception {
        run("5b-partitions", 2, true, seed);
    }

    /** Runs the kafka workload at rate 1000, concurrency 2n; the run must be valid, without warnings. */
    static Results run(String part, int nodeCount, boolean partition, long seed) throws Exception {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS"));
        var options = new Options("kafka", ROOT.resolve("maelstrom.sh").toRealPath(), List.of("kafka"), nodeCount,
                TIME_LIMIT, 1000, 0, Options.LatencyDist.CONSTANT, "grid", partition, NEMESIS_INTERVAL, 2 * nodeCount,
                null, QUIET_PERIOD, seed, ROOT.resolve("store/tests/kafka-" + part + "/" + stamp),
                List.of("strict-serializable"), 4, 16, null);
        Files.createDirectories(options.runDir());
        Results results = Runner.run(options, Workloads.create(options), System.err);
        results.write();
        System.out.printf("%s: %d ok of %d, servers msgs-per-op %.3f%n", part, results.okCount(), results.opCount(),
                results.serversMsgsPerOp());

        Verdict verdict = results.verdict();
        assertEquals(Verdict.Validity.VALID, results.validity(), () -> "findings " + (verdict == null ? "none"
                : verdict.findings()) + ", problems " + results.problems() + ", see " + options.runDir());
        assertTrue(verdict.details().path("warnings").isEmpty(), "warnings " + verdict.details().path("warnings"));
        return results;
    }
}
