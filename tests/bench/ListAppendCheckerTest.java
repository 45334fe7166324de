package tests.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bench.Op;
import bench.report.Verdict;
import bench.workload.txn.TxnWorkload;
import java.util.List;
import org.junit.jupiter.api.Test;
import tests.support.HandMadeHistory;

/**
 * The txn-list-append checker on hand-made histories: each anomaly class rejected under the
 * models that forbid it, naming its transactions, and accepted under those that allow it;
 * a clean history accepted under every model.
 */
class ListAppendCheckerTest {

    static final List<String> MODELS = List.of("read-uncommitted", "read-committed", "repeatable-read",
            "snapshot-isolation", "serializable", "strong-session-serializable", "strong-snapshot-isolation",
            "strict-serializable");

    private static Verdict check(String model, HandMadeHistory h) {
        return TxnWorkload.listAppend(4, null, 16, List.of(model)).check(h.ops);
    }

    /** Asserts a rejection under {@code model} with a finding of {@code type} naming {@code txns} transactions. */
    private static Verdict rejected(String model, HandMadeHistory h, String type, int txns) {
        Verdict v = check(model, h);
        assertEquals(Verdict.Validity.INVALID, v.validity(), () -> model + ": " + v.findings());
        List<String> found = v.findings().stream().filter(f -> f.startsWith(type + ":")).toList();
        assertTrue(!found.isEmpty(), () -> type + " not in " + v.findings());
        assertEquals(txns, found.getFirst().split("\"type\":\"txn\"").length - 1, found.getFirst());
        assertTrue(v.details().path("anomaly_types").toString().contains("\"" + type + "\""), v.details().toString());
        return v;
    }

    private static void accepted(String model, HandMadeHistory h) {
        Verdict v = check(model, h);
        assertEquals(Verdict.Validity.VALID, v.validity(), () -> model + ": " + v.findings());
        assertEquals(List.of(), v.findings());
    }

    @Test
    void aSerialHistoryPassesEveryModel() {
        var h = new HandMadeHistory()
                .ok(0, "[[\"append\",1,1],[\"r\",2,null]]")
                .ok(1, "[[\"r\",1,[1]],[\"append\",1,2],[\"r\",1,[1,2]]]")
                .ok(0, "[[\"append\",2,1],[\"r\",1,[1,2]]]")
                .txn(1, Op.Type.FAIL, "[[\"append\",2,2]]", null)
                .txn(0, Op.Type.INFO, "[[\"append\",1,3],[\"r\",2,null]]", null)
                .ok(1, "[[\"r\",2,[1]],[\"r\",1,[1,2,3]]]");
        for (String model : MODELS) accepted(model, h);
    }

    @Test
    void appendsOrderedOppositelyOnTwoKeysAreG0() {
        var h = new HandMadeHistory()
                .ok(0, "[[\"append\",1,1],[\"append\",2,2]]")
                .ok(1, "[[\"append\",1,2],[\"append\",2,1]]")
                .ok(0, "[[\"r\",1,[1,2]],[\"r\",2,[1,2]]]");
        Verdict v = rejected("read-uncommitted", h, "G0", 2);
        assertTrue(v.findings().getFirst().contains("--ww-->"), v.findings().getFirst());
        rejected("strict-serializable", h, "G0", 2);
    }

    @Test
    void eachSeeingTheOthersAppendIsG1c() {
        var h = new HandMadeHistory()
                .ok(0, "[[\"append\",1,1],[\"r\",2,[1]]]")
                .ok(1, "[[\"append\",2,1],[\"r\",1,[1]]]");
        rejected("read-committed", h, "G1c", 2);
        accepted("read-uncommitted", h);
    }

    @Test
    void seeingHalfATransactionIsGSingle() {
        var h = new HandMadeHistory()
                .ok(0, "[[\"append\",1,1],[\"append\",2,1]]")
                .ok(1, "[[\"r\",1,[1]],[\"r\",2,[]]]")
                .ok(0, "[[\"r\",2,[1]]]");
        rejected("snapshot-isolation", h, "G-single-item", 2);
        rejected("serializable", h, "G-single-item", 2);
        accepted("read-committed", h);
    }

    @Test
    void writeSkewIsG2ItemWhichSnapshotIsolationAllows() {
        var h = new HandMadeHistory()
                .ok(0, "[[\"r\",1,[]],[\"append\",2,1]]")
                .ok(1, "[[\"r\",2,[]],[\"append\",1,1]]")
                .ok(0, "[[\"r\",1,[1]],[\"r\",2,[1]]]");
        rejected("serializable", h, "G2-item", 2);
        rejected("repeatable-read", h, "G2-item", 2);
        accepted("snapshot-isolation", h);
    }

    @Test
    void twoAntiDependenciesApartAreGNonadjacentWhichSnapshotIsolationForbids() {
        // T0 -rw-> T1 -wr-> T2 -rw-> T3 -wr-> T0: each rw edge follows a wr edge.
        var h = new HandMadeHistory()
                .ok(0, "[[\"r\",1,[]],[\"r\",3,[1]]]")
                .ok(1, "[[\"append\",1,1]]")
                .ok(2, "[[\"r\",1,[1]],[\"r\",2,[]]]")
                .ok(3, "[[\"append\",2,1],[\"append\",3,1]]")
                .ok(4, "[[\"r\",2,[1]]]");
        Verdict v = rejected("snapshot-isolation", h, "G-nonadjacent-item", 4);
        assertEquals(2, v.findings().getFirst().split("--rw-->").length - 1, v.findings().getFirst());
        rejected("serializable", h, "G-nonadjacent-item", 4);
        accepted("read-committed", h);
    }

    @Test
    void twoReadsOfTheSameStateThatBothAppendAreALostUpdate() {
        var h = new HandMadeHistory()
                .ok(0, "[[\"r\",1,[]],[\"append\",1,1]]")
                .ok(1, "[[\"r\",1,[]],[\"append\",1,2]]")
                .ok(0, "[[\"r\",1,[1,2]]]");
        rejected("repeatable-read", h, "lost-update", 2);
        rejected("snapshot-isolation", h, "lost-update", 2);
        accepted("read-committed", h);
    }

    @Test
    void aStaleReadIsSerializableButNotStrictlySo() {
        // T1 ends before T2 begins, yet T2 misses T1's append: fine in some serial order, not in realtime order.
        var h = new HandMadeHistory()
                .at(0, 1).ok(0, "[[\"append\",1,1]]")
                .at(2, 3).ok(1, "[[\"r\",1,[]]]")
                .at(4, 5).ok(2, "[[\"r\",1,[1]]]");
        accepted("serializable", h);
        Verdict v = rejected("strict-serializable", h, "G-single-item-realtime", 2);
        assertTrue(v.findings().getFirst().contains("--realtime-->"), v.findings().getFirst());
        String ruledOut = v.details().path("ruled_out").toString();
        assertTrue(ruledOut.contains("\"strict-serializable\"") && !ruledOut.contains("\"serializable\""), ruledOut);
        rejected("strong-snapshot-isolation", h, "G-single-item-realtime", 2);
    }

    @Test
    void aProcessMissingItsOwnAppendBreaksStrongSessionModels() {
        // Overlapping in time, so only the process order relates them.
        var h = new HandMadeHistory()
                .at(0, 10).ok(0, "[[\"append\",1,1]]")
                .at(5, 6).ok(1, "[[\"r\",1,[1]]]")
                .at(11, 12).ok(0, "[[\"r\",1,[]]]");
        accepted("serializable", h);
        rejected("strong-session-serializable", h, "G-single-item-process", 2);
    }

    @Test
    void concurrentTransactionsMayBeOrderedEitherWay() {
        var h = new HandMadeHistory()
                .at(0, 10).ok(0, "[[\"append\",1,1]]")
                .at(1, 2).ok(1, "[[\"r\",1,[]]]")
                .at(11, 12).ok(0, "[[\"r\",1,[1]]]");
        accepted("strict-serializable", h);
    }

    @Test
    void readingAFailedAppendIsG1a() {
        var h = new HandMadeHistory()
                .txn(0, Op.Type.FAIL, "[[\"append\",1,1]]", null)
                .ok(1, "[[\"r\",1,[1]],[\"append\",2,1]]")
                .ok(0, "[[\"r\",2,[1]]]");
        rejected("read-committed", h, "G1a", 2);
        accepted("read-uncommitted", h);
    }

    @Test
    void readingAnAppendItsTransactionFollowedIsG1b() {
        var h = new HandMadeHistory()
                .ok(0, "[[\"append\",1,1],[\"append\",1,2]]")
                .ok(1, "[[\"r\",1,[1]]]");
        rejected("read-committed", h, "G1b", 2);
    }

    @Test
    void aReadMissingTheTransactionsOwnAppendIsInternal() {
        var h = new HandMadeHistory().ok(0, "[[\"append\",1,1],[\"r\",1,[]]]").ok(1, "[[\"r\",1,[1]]]");
        rejected("serializable", h, "internal", 1);
        rejected("snapshot-isolation", h, "internal", 1);
    }

    @Test
    void anElementReadTwiceIsADuplicate() {
        var h = new HandMadeHistory().ok(0, "[[\"append\",1,1]]").ok(1, "[[\"r\",1,[1,1]]]");
        rejected("read-uncommitted", h, "duplicate-elements", 1);
    }

    @Test
    void readsThatNoOrderOfAppendsExplainsAreIncompatible() {
        var h = new HandMadeHistory()
                .ok(0, "[[\"append\",1,1]]")
                .ok(1, "[[\"append\",1,2]]")
                .ok(2, "[[\"append\",1,3]]")
                .ok(0, "[[\"r\",1,[1,2]]]")
                .ok(1, "[[\"r\",1,[1,3]]]");
        rejected("read-committed", h, "incompatible-order", 2);
        accepted("read-uncommitted", h);
    }

    @Test
    void unknownModelsAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> TxnWorkload.listAppend(4, null, 16,
                List.of("linearizable")));
        assertTrue(e.getMessage().contains("strict-serializable"), e.getMessage());
    }
}
