package tests.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bench.Options;
import bench.Runner;
import bench.report.Results;
import bench.report.Verdict;
import bench.workload.txn.TxnWorkload;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tests.support.Nodes;

/**
 * The txn-rw-register workload end to end: real node processes from tests/broken/,
 * started by maelstrom.sh, driven by the bench for a few seconds. The simple store passes
 * read committed with total availability; each broken node is rejected with its anomaly,
 * naming the transactions in it.
 */
class TxnBrokenNodesTest {

    static final Path ROOT = Path.of("").toAbsolutePath();
    static final List<String> NODES = List.of("txn-simple", "txn-g1a", "txn-g1b", "txn-g1c", "txn-g0");

    @BeforeAll
    static void prepare() throws Exception {
        Nodes.prepare(NODES.stream().map(n -> "tests/broken/" + n + ".java").toArray(String[]::new));
    }

    /** Runs a node script on one node for 3 s with 4 clients, checked for {@code model}. */
    static Results run(String script, String model, String availability) throws Exception {
        return run(script, model, availability, 3, 4, null);
    }

    /** Runs a node script on one node, checked for {@code model}; {@code keyCount} null for the default. */
    static Results run(String script, String model, String availability, double seconds, int concurrency,
                       Integer keyCount) throws Exception {
        var options = new Options("txn-rw-register", ROOT.resolve("maelstrom.sh").toRealPath(),
                List.of("tests/broken/" + script + ".java"), 1, seconds, 500, 0, Options.LatencyDist.CONSTANT, "grid",
                false, 10, concurrency, availability, 0, 1, ROOT.resolve("store/tests/" + script + "-" + System.nanoTime()),
                List.of(model), 4, 16, keyCount);
        Results results = Runner.run(options, new TxnWorkload(4, keyCount, 16, List.of(model)), System.err);
        results.write();
        assertTrue(results.problems().isEmpty(), "node problems: " + results.problems());
        return results;
    }

    /** Asserts the run is invalid with at least one finding of {@code type} naming two or more transactions. */
    static void rejectedFor(Results results, String type) {
        assertEquals(Verdict.Validity.INVALID, results.validity());
        List<String> found = results.verdict().findings().stream().filter(f -> f.startsWith(type + ":")).toList();
        assertTrue(!found.isEmpty(), () -> type + " not in " + results.verdict().findings());
        assertTrue(found.getFirst().split("\"type\":\"txn\"").length > 2, "names the transactions: " + found.getFirst());
    }

    @Test
    void serialStorePassesReadCommittedWithTotalAvailability() throws Exception {
        Results results = run("txn-simple", "read-committed", "total");
        assertEquals(Verdict.Validity.VALID, results.validity(),
                () -> results.verdict().findings() + " " + results.problems());
        assertEquals(results.opCount(), results.okCount());
        assertTrue(results.okCount() > 100, "ops ok: " + results.okCount());
    }

    @Test
    void abortedButVisibleWritesAreG1a() throws Exception {
        rejectedFor(run("txn-g1a", "read-committed", null), "G1a");
    }

    @Test
    void intermediateWritesSeenAreG1b() throws Exception {
        rejectedFor(run("txn-g1b", "read-committed", null), "G1b");
    }

    @Test
    void writesBeforeReadsAreG1c() throws Exception {
        rejectedFor(run("txn-g1c", "read-committed", null), "G1c");
    }

    @Test
    void pairedOverwritesAreG0EvenUnderReadUncommitted() throws Exception {
        // The node needs two waiting transactions of complementary shapes: two keys and many
        // clients make them common (two to six pairs in 3 s when tried).
        rejectedFor(run("txn-g0", "read-uncommitted", null, 5, 20, 2), "G0");
    }
}
