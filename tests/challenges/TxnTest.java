package tests.challenges;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bench.Op;
import bench.cli.Challenges;
import bench.cli.TestCommand;
import bench.report.Results;
import bench.report.Verdict;
import bench.workload.Workload;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tests.support.ForwardingWorkload;
import tests.support.Nodes;

/**
 * Challenges 6a, 6b and 6c against txn.java on the bench, with the official flags but a
 * shorter run and faster partitions. Besides the checker's verdict and total
 * availability, each run ends with a final read of every written key on every node
 * (after healing and a short quiet period), which must agree across nodes: the
 * checker alone never sees whether writes reached the other replicas. Each run prints
 * its servers msgs-per-op and latency quantiles; to measure at full length over seeds,
 * use {@code ./jbang bench.java sweep --challenge 6b --seeds 1..3}.
 */
class TxnTest {

    /** Far above what batching costs (about 0.05), far below one message per transaction. */
    static final double MAX_SERVERS_MSGS_PER_OP = 0.5;

    @BeforeAll
    static void prepare() throws Exception {
        Nodes.prepare("txn-rw-register");
    }

    @Test
    void part6aReadUncommittedOnOneNode() throws Exception {
        run("6a");
    }

    @Test
    void part6bReadUncommittedReplicatedThroughPartitions() throws Exception {
        run("6b");
    }

    @Test
    void part6cReadCommittedReplicatedThroughPartitions() throws Exception {
        run("6c");
    }

    /**
     * Runs a part's preset (rate 1000, concurrency 2n, availability total) for 6 s,
     * partitions (if any) every second, and checks everything it must meet. The quiet
     * period of 2 s is longer than txn.java's ack timeout and a tick: a batch the last
     * partition dropped has been resent.
     */
    static void run(String part) throws Exception {
        var observed = new AtomicReference<Observed>();
        Results results = TestCommand.run(txns -> observed.updateAndGet(none -> new Observed(txns)), "--challenge", part,
                "--time-limit", "6", "--nemesis-interval", "1", "--quiet-period", "2", "--seed", "1",
                "--store", "store/tests");
        System.out.printf("%s seed %d: %d ok of %d, servers msgs-per-op %.3f, latency ms %s%n", part,
                results.options().seed(), results.ops().ok(), results.ops().invoked(), results.serversMsgsPerOp(),
                observed.get().latencyQuantiles());

        Verdict verdict = results.verdict();
        assertEquals(Verdict.Validity.VALID, results.validity(), () -> "findings " + (verdict == null ? "none"
                : verdict.findings()) + ", problems " + results.problems() + ", see " + results.options().runDir());
        assertEquals(results.ops().invoked(), results.ops().ok(), "total availability: every transaction answered ok");
        assertTrue(results.serversMsgsPerOp() < MAX_SERVERS_MSGS_PER_OP,
                "replication is batched: servers msgs-per-op " + results.serversMsgsPerOp());
        observed.get().assertReplicasAgree(results.options().cluster().nodeCount());
    }

    /**
     * The txn-rw-register workload, watched: the latency of every ok transaction, the keys
     * written, and a final phase in which each client reads every written key once.
     */
    static final class Observed extends ForwardingWorkload {
        private final List<Long> latencyNanos = new ArrayList<>();
        private final Map<Long, Set<Long>> written = new TreeMap<>();
        private final Set<Integer> finalAsked = new HashSet<>();
        private final Map<String, Map<Long, Long>> finalReads = new TreeMap<>();

        Observed(Workload txns) {
            super(txns);
        }

        @Override
        public boolean hasFinalPhase() {
            return true;
        }

        @Override
        public ObjectNode nextFinal(int process, Random random) {
            if (!finalAsked.add(process)) return null;
            ObjectNode body = JsonNodeFactory.instance.objectNode().put("type", "txn");
            ArrayNode txn = body.putArray("txn");
            written.keySet().forEach(k -> txn.addArray().add("r").add(k).addNull());
            return body;
        }

        @Override
        public void completed(Op op) {
            if (!op.ok()) return;
            if (op.isFinal()) {
                var reads = new TreeMap<Long, Long>();
                for (JsonNode mop : op.reply().get("txn")) {
                    reads.put(mop.get(1).asLong(), mop.get(2).isNull() ? null : mop.get(2).asLong());
                }
                finalReads.put(op.node(), reads);
                return;
            }
            latencyNanos.add(op.completedAt() - op.invokedAt());
            for (JsonNode mop : op.reply().get("txn")) {
                if (mop.get(0).asText().equals("w")) {
                    written.computeIfAbsent(mop.get(1).asLong(), k -> new HashSet<>()).add(mop.get(2).asLong());
                }
            }
        }

        /** Every node read every written key, saw one of the values written to it, and all nodes saw the same. */
        void assertReplicasAgree(int nodeCount) {
            assertEquals(nodeCount, finalReads.size(), "a final read from every node: " + finalReads.keySet());
            Map<Long, Long> first = finalReads.values().iterator().next();
            assertEquals(written.keySet(), first.keySet(), "the final read covers every written key");
            first.forEach((k, v) -> assertTrue(written.get(k).contains(v), "key " + k + " holds " + v
                    + ", not one of the values written: " + written.get(k)));
            finalReads.forEach((node, reads) -> assertEquals(first, reads, "node " + node + " disagrees"));
        }

        /** Quantiles 0, 0.5, 0.95, 0.99 and 1 of ok transactions' latency, in ms. */
        Map<String, Double> latencyQuantiles() {
            List<Long> sorted = latencyNanos.stream().sorted().toList();
            var quantiles = new LinkedHashMap<String, Double>();
            for (double q : new double[] {0, 0.5, 0.95, 0.99, 1}) {
                int at = (int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size()));
                long nanos = sorted.isEmpty() ? 0 : sorted.get(at);
                quantiles.put(String.valueOf(q), Math.round(nanos / 1e4) / 100.0);
            }
            return quantiles;
        }
    }
}
