package tests.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bench.report.Results;
import bench.report.Verdict;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tests.support.Nodes;

/**
 * The txn-list-append workload end to end, as {@link TxnBrokenNodesTest} runs
 * txn-rw-register: the serial in-memory store passes strict serializability; nodes that
 * break it in each major way are rejected with the anomaly, naming its transactions.
 */
class ListAppendBrokenNodesTest {

    static final List<String> NODES = List.of("txn-simple", "txn-g1a", "txn-g1b", "list-append-lost-append",
            "list-append-stale-read");

    @BeforeAll
    static void prepare() throws Exception {
        Nodes.prepare(NODES.stream().map(TxnBrokenNodesTest::script).toArray(String[]::new));
    }

    /** Runs a node script as {@code nodes} nodes for 3 s with 4 clients, checked for {@code model}. */
    static Results run(String script, int nodes, String model) throws Exception {
        return TxnBrokenNodesTest.run("txn-list-append", nodes, script, model, null, 3, 4, null);
    }

    @Test
    void serialStorePassesStrictSerializability() throws Exception {
        Results results = run("txn-simple", 1, "strict-serializable");
        assertEquals(Verdict.Validity.VALID, results.validity(),
                () -> results.verdict().findings() + " " + results.problems());
        assertEquals(results.ops().invoked(), results.ops().ok());
        assertTrue(results.ops().ok() > 100, "ops ok: " + results.ops().ok());
    }

    @Test
    void abortedButVisibleAppendsAreG1a() throws Exception {
        TxnBrokenNodesTest.rejectedFor(run("txn-g1a", 1, "read-committed"), "G1a");
    }

    @Test
    void intermediateAppendsSeenAreG1b() throws Exception {
        TxnBrokenNodesTest.rejectedFor(run("txn-g1b", 1, "read-committed"), "G1b");
    }

    @Test
    void appendsThatLoseEachOtherAreIncompatibleOrders() throws Exception {
        TxnBrokenNodesTest.rejectedFor(run("list-append-lost-append", 1, "read-committed"), "incompatible-order");
    }

    @Test
    void twoNodesThatDoNotReplicateAreRejected() throws Exception {
        Results results = run("txn-simple", 2, "read-committed");
        assertEquals(Verdict.Validity.INVALID, results.validity());
        String first = results.verdict().findings().getFirst();
        assertTrue(first.split("\"type\":\"txn\"").length > 2, "names the transactions: " + first);
    }

    @Test
    void staleReadsAreSerializableButNotStrictlySerializable() throws Exception {
        Results serializable = run("list-append-stale-read", 1, "serializable");
        assertEquals(Verdict.Validity.VALID, serializable.validity(), () -> serializable.verdict().findings().toString());
        TxnBrokenNodesTest.rejectedFor(run("list-append-stale-read", 1, "strict-serializable"), "G-single-item-realtime");
    }
}
