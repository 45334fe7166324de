package tests.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bench.Json;
import bench.Op;
import bench.cli.TestCommand;
import bench.report.Results;
import bench.report.Verdict;
import bench.workload.Workload;
import bench.workload.kafka.KafkaWorkload;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tests.support.ForwardingWorkload;
import tests.support.Histories;
import tests.support.Nodes;

/**
 * The kafka workload end to end: real node processes from tests/fixtures/ and
 * tests/broken/, started by maelstrom.sh, driven by the bench for a few seconds, with a
 * client crash about every half second. The simple log passes on one node, through the
 * crashes; each broken node is rejected with findings that name the operations.
 */
class KafkaBrokenNodesTest {

    static final List<String> NODES = List.of("kafka-simple", "kafka-loses-send", "kafka-reorders-offsets");

    @BeforeAll
    static void prepare() throws Exception {
        Nodes.prepare(NODES.stream().map(KafkaBrokenNodesTest::script).toArray(String[]::new));
    }

    /** A node's script: the correct log among the fixtures, the broken ones in tests/broken. */
    static String script(String node) {
        return (node.equals("kafka-simple") ? "tests/fixtures/" : "tests/broken/") + node + ".java";
    }

    /** Runs a node script under the kafka workload: 5a's flags, shortened, with crashes 30 times as often. */
    static Results run(String script, int nodeCount) throws Exception {
        return run(script, nodeCount, new KafkaWorkload(null, 16, 2 * nodeCount, Duration.ofSeconds(1),
                Duration.ofSeconds(2)));
    }

    /** As {@link #run(String, int)}, under {@code workload}. */
    static Results run(String script, int nodeCount, Workload workload) throws Exception {
        Results results = TestCommand.run(kafka -> workload, "-w", "kafka", "--bin", "maelstrom.sh",
                "--node-count", Integer.toString(nodeCount), "--time-limit", "3", "--rate", "300", "--concurrency", "2n",
                "--quiet-period", "0.5", "--seed", "1", "--store", "store/tests", "--", script(script));
        assertTrue(results.problems().isEmpty(), "node problems: " + results.problems());
        return results;
    }

    static List<String> findings(Results results, String type) {
        return results.verdict().findings().stream().filter(f -> f.startsWith(type + ":")).toList();
    }

    @Test
    void simpleLogOnOneNodePasses() throws Exception {
        Results results = run("kafka-simple", 1);
        assertEquals(Verdict.Validity.VALID, results.validity(), () -> results.verdict().findings().toString());
        assertTrue(results.ops().ok() > 100, "ops ok: " + results.ops().ok());

        // Each crash is indefinite and sends nothing; its thread goes on as a new process with
        // a new client. Every thread's final phase begins with one.
        List<JsonNode> history = Histories.of(results);
        List<JsonNode> crashes = history.stream().filter(op -> op.get("f").asText().equals("crash")).toList();
        assertTrue(crashes.stream().filter(op -> !op.get("final").asBoolean()).count() >= 2, "crashes: " + crashes);
        assertEquals(2, crashes.stream().filter(op -> op.get("final").asBoolean()).count(), "final crashes: " + crashes);
        assertEquals(results.ops().invoked() - crashes.size(), results.ops().ok(), "every other op ok");
        for (JsonNode crash : crashes) {
            assertEquals("info", crash.get("type").asText());
            assertTrue(crash.get("reply").isNull());
            int process = crash.get("process").asInt();
            JsonNode after = history.stream().filter(op -> op.get("process").asInt() == process + 2).findFirst()
                    .orElseThrow(() -> new AssertionError("process " + process + " has no successor"));
            assertTrue(!after.get("client").asText().equals(crash.get("client").asText()), after + " after " + crash);
        }
        long requests = results.net().all().msgCount();
        assertEquals(2 * (history.size() - crashes.size()) + 2, requests, "init and a reply, two per op, none for a crash");
    }

    @Test
    void lostSendIsRejected() throws Exception {
        Results results = run("kafka-loses-send", 1);
        assertEquals(Verdict.Validity.INVALID, results.validity());
        List<String> lost = findings(results, "lost-write");
        assertTrue(!lost.isEmpty(), () -> results.verdict().findings().toString());
        assertTrue(lost.getFirst().contains("\"type\":\"send\"") && lost.getFirst().contains("send_ok"), lost.getFirst());
    }

    @Test
    void decreasingOffsetsAreRejected() throws Exception {
        Results results = run("kafka-reorders-offsets", 1);
        assertEquals(Verdict.Validity.INVALID, results.validity());
        assertTrue(!findings(results, "nonmonotonic-send").isEmpty(), () -> results.verdict().findings().toString());
    }

    @Test
    void twoNodesGivingOneOffsetToDifferentMessagesAreRejected() throws Exception {
        // The simple log keeps offsets per node: on two nodes both hand out offset 0, 1, ...
        Results results = run("kafka-simple", 2);
        assertEquals(Verdict.Validity.INVALID, results.validity());
        List<String> inconsistent = findings(results, "inconsistent-offsets");
        assertTrue(!inconsistent.isEmpty(), () -> results.verdict().findings().toString());
        assertTrue(inconsistent.getFirst().contains("→n0") && inconsistent.getFirst().contains("→n1"),
                inconsistent.getFirst());
    }

    @Test
    void crashesBackToBackEachOpenANewClient() throws Exception {
        // As a thread that crashes at the very end of the main phase and again at the start
        // of the final one: Jepsen opens a client for each new process before it invokes
        // anything, a crash included, so no two crashes share a client.
        var kafka = new KafkaWorkload(null, 16, 2, Duration.ZERO, Duration.ofSeconds(2));
        Results results = run("kafka-simple", 1, new ForwardingWorkload(kafka) {
            final HashSet<Integer> crashed = new HashSet<>();

            @Override
            public ObjectNode next(int process, Random random) {
                return crashed.add(process) && process < 4 ? Json.body(Workload.CRASH) : kafka.next(process, random);
            }
        });
        assertEquals(Verdict.Validity.VALID, results.validity(), () -> results.verdict().findings().toString());
        List<JsonNode> crashes = Histories.of(results).stream().filter(op -> op.get("f").asText().equals("crash")).toList();
        assertEquals(4, crashes.size(), "two in a row on each thread: " + crashes);
        assertEquals(4, crashes.stream().map(op -> op.get("client").asText()).distinct().count(), "clients: " + crashes);
    }
}
