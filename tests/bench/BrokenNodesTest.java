package tests.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bench.Op;
import bench.Options;
import bench.cli.TestCommand;
import bench.report.Results;
import bench.report.Verdict;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tests.support.Histories;
import tests.support.ShortRuns;

/**
 * Every checker against a node that is broken on purpose (tests/broken/): each run must
 * end invalid because of the checker, with no node problem to blame instead.
 */
class BrokenNodesTest {

    static Results rejected(String workload, String script, String... flags) throws Exception {
        Results r = ShortRuns.run(workload, script, flags);
        assertTrue(r.problems().isEmpty(), "the nodes ran cleanly: " + r.problems());
        assertEquals(Verdict.Validity.INVALID, r.verdict().validity(), "the checker must reject " + script);
        assertEquals(1, r.exitCode());
        assertTrue(Files.exists(r.options().runDir().resolve("results.json")));
        return r;
    }

    @Test
    void echoThatAltersThePayload() throws Exception {
        Results r = rejected("echo", "tests/broken/echo-alters.java");
        assertTrue(r.verdict().findings().getFirst().contains("!\""), r.verdict().findings().getFirst());
    }

    @Test
    void idsThatRepeat() throws Exception {
        Results r = rejected("unique-ids", "tests/broken/ids-repeat.java");
        assertTrue(r.verdict().details().get("duplicated-count").asInt() > 0);
    }

    @Test
    void broadcastThatNeverGossips() throws Exception {
        losesValues("broadcast", "tests/broken/broadcast-no-gossip.java");
    }

    /** A set (broadcast, g-set) rejected for values it lost. */
    static Results losesValues(String workload, String script, String... flags) throws Exception {
        Results r = rejected(workload, script, flags);
        assertTrue(r.verdict().details().get("lost-count").asInt() > 0, r.verdict().details().toString());
        return r;
    }

    @Test
    void broadcastThatDropsValuesUnderPartition() throws Exception {
        losesOnlyUnderPartition("broadcast", "tests/broken/broadcast-drops-under-partition.java");
    }

    /** A node of five that loses what partitions cut off: rejected with partitions, valid without. */
    static void losesOnlyUnderPartition(String workload, String script) throws Exception {
        Results r = losesValues(workload, script, "--node-count", "5", "--nemesis", "partition");
        assertTrue(!r.nemesis().isEmpty());

        var calm = ShortRuns.run(workload, script, "--node-count", "5");
        assertEquals(Verdict.Validity.VALID, calm.validity(), "without partitions the same node is correct");
    }

    @Test
    void counterThatLosesAdds() throws Exception {
        rejected("g-counter", "tests/broken/counter-loses-adds.java");
    }

    @Test
    void counterThatKeepsReadingAStaleValue() throws Exception {
        rejected("g-counter", "tests/broken/counter-stale-read.java");
    }

    @Test
    void gSetThatNeverGossips() throws Exception {
        losesValues("g-set", "tests/broken/gset-no-gossip.java");
    }

    @Test
    void gSetThatDropsElementsUnderPartition() throws Exception {
        losesOnlyUnderPartition("g-set", "tests/broken/gset-drops-under-partition.java");
    }

    @Test
    void pnCounterThatLosesDecrements() throws Exception {
        Results r = rejected("pn-counter", "tests/broken/pncounter-loses-decrements.java");
        assertTrue(r.verdict().findings().getFirst().contains("acceptable"), r.verdict().findings().toString());
    }

    @Test
    void pnCounterThatCountsARedeliveredAddTwice() throws Exception {
        rejected("pn-counter", "tests/broken/pncounter-counts-twice.java");
    }

    @Test
    void aTimeoutRetiresTheProcessAndALateReplyToItsClosedClientEndsTheNodesOutput() throws Exception {
        Results r = ShortRuns.run("echo", "tests/broken/echo-late.java", "--node-count", "1", "--time-limit", "8",
                "--rate", "2");
        assertEquals(Verdict.Validity.INVALID, r.validity());
        Op first = r.verdict() == null ? null : firstOp(r);
        assertEquals(Op.Type.INFO, first.type(), "a timeout is an unknown outcome");
        String problems = String.join("\n", r.problems());
        assertTrue(problems.contains("node n0 printed a line that is not a valid message (unknown destination "
                + first.client() + ")"), problems);
        JsonNode second = Histories.of(r).get(1);
        assertEquals(1, second.get("process").asInt(), "the next process is the old one plus the concurrency: " + second);
        assertTrue(!second.get("client").asText().equals(first.client()), "with a new client: " + second);
    }

    private static Op firstOp(Results r) throws Exception {
        var line = Histories.of(r).getFirst();
        return new Op(line.get("process").asInt(), line.get("client").asText(), line.get("node").asText(),
                line.get("f").asText(), null, null, Op.Type.valueOf(line.get("type").asText().toUpperCase()), 0, 0, false);
    }

    @Test
    void aNodeThatPrintsGarbageIsReportedByNameAndTheRunStillWritesResults() throws Exception {
        Path script = Files.createTempFile("garbage", ".sh");
        Files.writeString(script, "#!/bin/sh\necho 'starting up' >&2\necho 'hello, world'\nsleep 30\n");
        script.toFile().setExecutable(true);
        Results r = TestCommand.run("-w", "echo", "--bin", script.toString(), "--node-count", "1", "--time-limit", "1",
                "--quiet-period", "0", "--seed", "1", "--store", Files.createTempDirectory("bench-test").toString());
        Options options = r.options();
        assertEquals(Verdict.Validity.INVALID, r.validity());
        String problems = String.join("\n", r.problems());
        assertTrue(problems.contains("node n0 printed a line that is not a valid message"), problems);
        assertTrue(problems.contains("did not answer init within 10 s"), problems);
        assertTrue(problems.contains("starting up"), "the last log lines are shown: " + problems);
        assertTrue(Files.exists(options.runDir().resolve("results.json")));
        assertTrue(Files.readString(options.runDir().resolve("node-logs/n0.log")).contains("starting up"));
    }
}
