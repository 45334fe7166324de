package tests.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bench.Op;
import bench.report.Verdict;
import bench.workload.txn.TxnWorkload;
import java.util.List;
import org.junit.jupiter.api.Test;
import tests.support.HandMadeHistory;

/** The txn-rw-register checker on hand-made histories: each anomaly flagged with its transactions, a clean one passing. */
class TxnCheckerTest {

    private static Verdict check(String model, HandMadeHistory h) {
        return TxnWorkload.rwRegister(4, null, 16, List.of(model)).check(h.ops);
    }

    private static List<String> findings(Verdict v, String type) {
        return v.findings().stream().filter(f -> f.startsWith(type + ":")).toList();
    }

    @Test
    void cleanHistoryPassesReadCommitted() {
        var h = new HandMadeHistory()
                .ok(0, "[[\"w\",1,1],[\"r\",2,null]]")
                .ok(1, "[[\"r\",1,1],[\"w\",1,2]]")
                .ok(0, "[[\"r\",1,2],[\"w\",2,1]]")
                .ok(1, "[[\"r\",2,1],[\"r\",1,2]]");
        Verdict v = check("read-committed", h);
        assertTrue(v.valid(), v.findings().toString());
        assertEquals(List.of(), v.findings());
    }

    @Test
    void abortedReadIsG1aNamingReaderAndFailedWriter() {
        var h = new HandMadeHistory()
                .txn(0, Op.Type.FAIL, "[[\"w\",1,1]]", null)
                .ok(1, "[[\"r\",1,1],[\"w\",2,1]]")
                .ok(0, "[[\"r\",2,1]]");
        Verdict v = check("read-committed", h);
        assertEquals(Verdict.Validity.INVALID, v.validity());
        List<String> g1a = findings(v, "G1a");
        assertEquals(1, g1a.size(), v.findings().toString());
        assertTrue(g1a.getFirst().contains("process 1") && g1a.getFirst().contains("process 0"), g1a.getFirst());
        assertTrue(g1a.getFirst().contains("FAIL"), g1a.getFirst());
        // Read uncommitted allows aborted reads.
        Verdict ru = check("read-uncommitted", h);
        assertTrue(ru.valid(), ru.findings().toString());
    }

    @Test
    void intermediateReadIsG1b() {
        var h = new HandMadeHistory()
                .ok(0, "[[\"w\",1,1],[\"w\",1,2]]")
                .ok(1, "[[\"r\",1,1]]");
        Verdict v = check("read-committed", h);
        assertFalse(v.valid());
        List<String> g1b = findings(v, "G1b");
        assertEquals(1, g1b.size(), v.findings().toString());
        assertTrue(g1b.getFirst().contains("T1 read key 1 = 1") && g1b.getFirst().contains("T0"), g1b.getFirst());
    }

    @Test
    void readingOwnIntermediateWriteIsNotG1b() {
        var h = new HandMadeHistory().ok(0, "[[\"w\",1,1],[\"r\",1,1],[\"w\",1,2]]").ok(1, "[[\"r\",1,2]]");
        assertTrue(check("read-committed", h).valid());
    }

    @Test
    void circularInformationFlowIsG1c() {
        // T0 reads T1's write of key 2 and T1 reads T0's write of key 1.
        var h = new HandMadeHistory()
                .ok(0, "[[\"w\",1,1],[\"r\",2,1]]")
                .ok(1, "[[\"w\",2,1],[\"r\",1,1]]");
        Verdict v = check("read-committed", h);
        assertFalse(v.valid());
        List<String> g1c = findings(v, "G1c");
        assertEquals(1, g1c.size(), v.findings().toString());
        assertTrue(g1c.getFirst().contains("T0") && g1c.getFirst().contains("T1") && g1c.getFirst().contains("--wr-->"),
                g1c.getFirst());
        assertTrue(check("read-uncommitted", h).valid(), "G1c is allowed under read uncommitted");
    }

    @Test
    void writeCycleIsG0UnderBothModels() {
        // Each txn read the other's write of one key and then overwrote it: x: 1 (T0) → 2 (T1),
        // y: 1 (T1) → 2 (T0), so T0 ww→ T1 ww→ T0.
        var h = new HandMadeHistory()
                .ok(0, "[[\"r\",2,1],[\"w\",2,2],[\"w\",1,1]]")
                .ok(1, "[[\"r\",1,1],[\"w\",1,2],[\"w\",2,1]]");
        for (String model : List.of("read-uncommitted", "read-committed")) {
            Verdict v = check(model, h);
            assertFalse(v.valid(), model);
            List<String> g0 = findings(v, "G0");
            assertEquals(1, g0.size(), model + " " + v.findings());
            assertTrue(g0.getFirst().contains("--ww--> T1") && g0.getFirst().contains("--ww--> T0"), g0.getFirst());
            assertEquals(List.of(), findings(v, "G1c"), "a component with a G0 is not searched again for G1c");
        }
    }

    @Test
    void versionCycleIsCyclicVersions() {
        var h = new HandMadeHistory()
                .ok(0, "[[\"w\",1,1]]")
                .ok(1, "[[\"r\",1,1],[\"w\",1,2]]")
                .ok(2, "[[\"r\",1,2],[\"w\",1,1]]");
        Verdict v = check("read-uncommitted", h);
        assertFalse(v.valid());
        assertEquals(1, findings(v, "cyclic-versions").size(), v.findings().toString());
    }

    @Test
    void historyWithoutDependenciesIsInvalidAsInMaelstrom() {
        var h = new HandMadeHistory()
                .txn(0, Op.Type.FAIL, "[[\"w\",1,1]]", null)
                .txn(1, Op.Type.INFO, "[[\"r\",1,null]]", null);
        Verdict v = check("read-committed", h);
        assertFalse(v.valid());
        assertEquals(1, findings(v, "empty-transaction-graph").size(), v.findings().toString());
    }

    @Test
    void unsupportedModelIsRefused() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TxnWorkload.rwRegister(4, null, 16, List.of("serializable")));
    }
}
