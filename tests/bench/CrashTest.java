package tests.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bench.nemesis.NemesisEvent;
import bench.report.Results;
import bench.report.Verdict;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tests.support.Histories;
import tests.support.ShortRuns;

/**
 * Kills and pauses end to end, on real node processes: a command's nodes and their
 * restarts share one parent, the next command's nodes another, as Maelstrom's nodes have
 * its JVM (TestCountTest: every test of a --test-count too); and the checkers reject
 * nodes that keep in memory what must survive a kill.
 *
 * <p>The broken nodes run alone, so that every kill with a target hits the node. A
 * request to a killed node holds its client thread for the 5 s timeout, so forty threads
 * at 10 requests a second keep requests coming once it is back. With seed 42 the first kill hits at once, the second misses, the third
 * hits about 3 s in (plus the restarts' time), after a second and more of acknowledged
 * operations; eight seconds leave a wide margin for slow restarts.
 */
class CrashTest {

    static final String PARENT = "tests/fixtures/echo-parent.java";
    /** Kills of a node alone, every second or so. */
    // A request to a killed node holds its thread for the 5 s client timeout: enough threads
    // and rate that every window between a restart and the next kill gets requests answered,
    // on a loaded machine too (with 40 threads at 10/s, one CI run saw all answers in one window).
    static final String[] KILLS = {"--node-count", "1", "--nemesis", "kill", "--nemesis-interval", "1",
            "--time-limit", "12", "--rate", "30", "--concurrency", "200"};

    /** The "parent PID START" lines of each node's log, one per start of it. */
    static List<String> parents(Results r, String node) throws Exception {
        return Files.readAllLines(r.options().runDir().resolve("node-logs/" + node + ".log")).stream()
                .filter(line -> line.startsWith("parent ")).toList();
    }

    static List<String> restarted(Results r) {
        return r.nemesis().stream().filter(e -> e instanceof NemesisEvent.Processes p && p.f().equals("start"))
                .flatMap(e -> ((NemesisEvent.Processes) e).changed().stream()).toList();
    }

    @Test
    void aRunsNodesAndTheirRestartsShareOneParentThatLivesAsLongAsTheRun() throws Exception {
        Results first = ShortRuns.run("echo", PARENT, "--node-count", "2", "--nemesis", "kill", "--nemesis-interval",
                "0.5", "--time-limit", "4");
        assertTrue(first.problems().isEmpty(), "the nodes ran cleanly: " + first.problems());
        assertFalse(restarted(first).isEmpty(), "a node was restarted: " + first.nemesis());
        List<String> n0 = parents(first, "n0"), n1 = parents(first, "n1");
        assertEquals(2 + restarted(first).size(), n0.size() + n1.size(), "one line per start: " + n0 + n1);
        Set<String> parent = Stream.concat(n0.stream(), n1.stream()).collect(Collectors.toSet());
        assertEquals(1, parent.size(), "both nodes and every restart see one parent: " + parent);
        long pid = Long.parseLong(parent.iterator().next().split(" ")[1]);
        assertNotEquals(ProcessHandle.current().pid(), pid, "not the bench's JVM, which outlives the run");
        assertTrue(ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), "the parent ended with the run");

        Results second = ShortRuns.run("echo", PARENT, "--node-count", "1", "--time-limit", "1");
        assertNotEquals(parent, Set.copyOf(parents(second, "n0")), "the next run's node sees another parent");
    }

    @Test
    void aPausedNodeAnswersOnlyOnceResumed() throws Exception {
        Results r = ShortRuns.run("echo", PARENT, "--node-count", "1", "--nemesis", "pause", "--nemesis-interval", "0.5",
                "--time-limit", "4", "--concurrency", "4");
        assertTrue(r.problems().isEmpty(), "a paused node is resumed, and stopped at the end: " + r.problems());
        List<NemesisEvent> events = r.nemesis();
        int checked = 0;
        for (int i = 0; i + 1 < events.size(); i++) {
            if (events.get(i) instanceof NemesisEvent.Processes pause && pause.f().equals("pause")
                    && !pause.changed().isEmpty()) {
                long paused = pause.completedNanos(), resumed = events.get(i + 1).invokedNanos();
                for (JsonNode op : Histories.of(r, "echo")) {
                    double invoked = op.get("invoked-ms").asDouble() * 1e6, completed = op.get("completed-ms").asDouble() * 1e6;
                    if (invoked > paused && invoked < resumed) {
                        assertTrue(completed >= resumed, "answered while paused: " + op);
                        checked++;
                    }
                }
            }
        }
        assertTrue(checked > 0, "requests came while the node was paused: " + events);
    }

    @Test
    void underKillsAnAvailabilityBoundIsReportedNotJudged() throws Exception {
        Results r = ShortRuns.run("echo", PARENT, "--node-count", "1", "--nemesis", "kill", "--nemesis-interval", "0.5",
                "--time-limit", "3", "--availability", "total");
        assertTrue(r.ops().okFraction() < 1, "a killed node's requests time out: " + r.ops());
        assertFalse(r.ops().availabilityJudged());
        assertTrue(r.ops().availabilityValid());
        assertEquals(0, r.problems().size(), r.problems().toString());
        assertEquals(Verdict.Validity.VALID, r.validity(), "a timed-out echo is not wrong, as in Maelstrom's checker");
    }

    @Test
    void nemesisOperationsAreInTheHistoryAsJepsenRecordsThem() throws Exception {
        Results r = ShortRuns.run("echo", PARENT, KILLS);
        List<JsonNode> ops = Histories.of(r).stream().filter(op -> op.path("process").asText().equals("nemesis")).toList();
        assertFalse(ops.isEmpty());
        for (JsonNode op : ops) {
            assertEquals("info", op.get("type").asText(), op.toString());
            assertTrue(Set.of("kill", "start").contains(op.get("f").asText()), op.toString());
            assertTrue(op.get("value").isArray(), "the targets as value: " + op);
        }
        assertTrue(r.toJson().get("downtime").has("n0"), "results.json has the kill and restart times");
    }

    static Results rejectedUnderKills(String workload, String script) throws Exception {
        Results r = BrokenNodesTest.rejected(workload, script, KILLS);
        assertTrue(restarted(r).size() >= 2, "the node was killed and restarted: " + r.nemesis());
        return r;
    }

    @Test
    void idsFromACounterThatARestartResets() throws Exception {
        Results r = rejectedUnderKills("unique-ids", "tests/broken/ids-restart-counter.java");
        assertTrue(r.verdict().details().get("duplicated-count").asInt() > 0);
        Results calm = ShortRuns.run("unique-ids", "tests/broken/ids-restart-counter.java");
        assertEquals(Verdict.Validity.VALID, calm.validity(), "without kills the same node is correct");
    }

    /** broadcast-no-gossip alone is a correct broadcast node that keeps its values only in memory. */
    @Test
    void broadcastThatKeepsItsValuesOnlyInMemory() throws Exception {
        Results r = rejectedUnderKills("broadcast", "tests/broken/broadcast-no-gossip.java");
        assertTrue(r.verdict().details().get("lost-count").asInt() > 0);
        Results calm = ShortRuns.run("broadcast", "tests/broken/broadcast-no-gossip.java", "--node-count", "1");
        assertEquals(Verdict.Validity.VALID, calm.validity(), "without kills the same node is correct");
    }

    /** counter-in-memory alone is a correct counter that keeps its count only in memory. */
    @Test
    void counterThatKeepsItsCountOnlyInMemory() throws Exception {
        rejectedUnderKills("g-counter", "tests/broken/counter-in-memory.java");
        Results calm = ShortRuns.run("g-counter", "tests/broken/counter-in-memory.java", "--node-count", "1");
        assertEquals(Verdict.Validity.VALID, calm.validity(), "without kills the same node is correct");
    }

    /** kafka-simple is a correct single-node log that acknowledges sends it holds only in memory. */
    @Test
    void kafkaThatAcknowledgesSendsBeforeTheyAreDurable() throws Exception {
        Results r = rejectedUnderKills("kafka", "tests/fixtures/kafka-simple.java");
        assertFalse(r.verdict().findings().isEmpty());
    }
}
