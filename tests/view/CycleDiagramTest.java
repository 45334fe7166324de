package tests.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bench.view.StorePages;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's page draws each cycle the transactional checker reported, and nothing for other anomalies. */
class CycleDiagramTest {

    static final String STEP = """
            {"from":{"process":%d,"type":"ok","request":{"type":"txn","txn":[["r",1,null]]},
             "reply":{"type":"txn_ok","txn":[["r",1,%s]]}},"rel":"%s","why":"%s"}""";

    @Test
    void aRunsPageDrawsEveryCycleWithItsDependenciesAndTheirReasons(@TempDir Path dir) throws Exception {
        String cycle = "[" + STEP.formatted(9, "null", "rw", "T2 observed the initial state of key 1, which T1 created")
                + "," + STEP.formatted(5, "[1]", "realtime", "T1 completed before T2 began") + "]";
        Files.writeString(dir.resolve("results.json"), """
                {"valid":"invalid","test":{"workload":"txn-list-append"},
                 "workload":{"anomalies":{"G-single-item-realtime":[{"steps":%s}],"G1a":[{"txns":[]}]}}}"""
                .formatted(cycle));
        String page = StorePages.run(dir, "txn-list-append/20260101T000000.000");
        assertTrue(page.contains("<h3>Cycles</h3>"), page);
        assertTrue(page.contains("<h4>G-single-item-realtime</h4>"), page);
        assertFalse(page.contains("<h4>G1a</h4>"), "an anomaly that is no cycle is not drawn");
        assertEquals(1, page.split("<svg", -1).length - 1, "one picture for the one cycle");
        assertEquals(2, page.split("<rect", -1).length - 1, "a box per transaction");
        assertTrue(page.contains(">rw</text>") && page.contains(">realtime</text>"), "each edge named");
        assertTrue(page.contains("<title>T1 completed before T2 began</title>"), "and why it is there");
        assertTrue(page.contains("process 9, ok") && page.contains("[[&quot;r&quot;,1,[1]]]"), page);
    }

    @Test
    void aRunWithoutCyclesHasNoCycleSection(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("results.json"), "{\"valid\":\"valid\",\"workload\":{\"anomalies\":{}}}");
        assertFalse(StorePages.run(dir, "txn-list-append/x").contains("Cycles"));
    }
}
