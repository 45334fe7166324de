package tests.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bench.cli.TestCommand;
import bench.report.Results;
import bench.report.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tests.support.Nodes;

/**
 * The txn-rw-register workload end to end: real node processes from tests/fixtures/ and
 * tests/broken/, started by maelstrom.sh, driven by the bench for a few seconds. The simple store passes
 * read committed with total availability; each broken node is rejected with its anomaly,
 * naming the transactions in it.
 */
class TxnBrokenNodesTest {

    static final List<String> NODES = List.of("txn-simple", "txn-g1a", "txn-g1b", "txn-g1c", "txn-g0");

    @BeforeAll
    static void prepare() throws Exception {
        Nodes.prepare(NODES.stream().map(TxnBrokenNodesTest::script).toArray(String[]::new));
    }

    /**
     * A node's script (txn-simple serves both txn workloads): the correct store among the
     * fixtures, the broken ones in tests/broken.
     */
    static String script(String node) {
        return (node.equals("txn-simple") ? "tests/fixtures/" : "tests/broken/") + node + ".java";
    }

    /** Runs a node script on one node for 3 s with 4 clients, checked for {@code model}. */
    static Results run(String script, String model, String availability) throws Exception {
        return run(script, model, availability, 3, 4, null);
    }

    /** Runs a node script on one node, checked for {@code model}; {@code keyCount} null for the default. */
    static Results run(String script, String model, String availability, double seconds, int concurrency,
                       Integer keyCount) throws Exception {
        return run("txn-rw-register", 1, script, model, availability, seconds, concurrency, keyCount);
    }

    /**
     * Runs a node script (a name from {@link #script}) as {@code nodes} nodes of
     * {@code workload} at 500 transactions per second, checked for {@code model};
     * {@code availability} and {@code keyCount} null for the defaults.
     */
    static Results run(String workload, int nodes, String script, String model, String availability, double seconds,
                       int concurrency, Integer keyCount) throws Exception {
        var words = new ArrayList<>(List.of("-w", workload, "--bin", "maelstrom.sh", "--node-count",
                Integer.toString(nodes), "--time-limit", Double.toString(seconds), "--rate", "500", "--concurrency",
                Integer.toString(concurrency),
                "--quiet-period", "0", "--seed", "1", "--consistency-models", model, "--store", "store/tests"));
        if (availability != null) {
            words.addAll(List.of("--availability", availability));
        }
        if (keyCount != null) {
            words.addAll(List.of("--key-count", keyCount.toString()));
        }
        words.addAll(List.of("--", script(script)));
        Results results = TestCommand.run(words.toArray(String[]::new));
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
        assertEquals(results.ops().invoked(), results.ops().ok());
        assertTrue(results.ops().ok() > 100, "ops ok: " + results.ops().ok());
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
