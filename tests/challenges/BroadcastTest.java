package tests.challenges;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bench.BroadcastWorkload;
import bench.Op;
import bench.Options;
import bench.Results;
import bench.Runner;
import bench.Verdict;
import bench.Workload;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Challenges 3a to 3e against broadcast.java on the bench, with the official flags but
 * 10-second runs; the partitioned ones flip every 2 s and end with a 5 s quiet period,
 * more than broadcast.java needs to resend what the last partition dropped (two 1 s
 * checks, a fan-out, which is 1 s apart in the low-message setting, and two hops).
 * Each run must be valid (no value lost) and every read must hold only values that
 * were broadcast, each once. Takes about 80 s.
 */
class BroadcastTest {

    static final Path ROOT = Path.of("").toAbsolutePath();
    static final double TIME_LIMIT = 10;
    static final double NEMESIS_INTERVAL = 2;
    static final double QUIET_PERIOD = 5;
    /** The low-message setting of 3e. */
    static final List<String> LEAN = List.of("--hub-batch", "1000");

    @BeforeAll
    static void prepare() throws Exception {
        var build = new ProcessBuilder(ROOT.resolve("maelstrom.sh").toString(), "--prepare", "broadcast")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertEquals(0, build.waitFor(), "maelstrom.sh --prepare failed");
    }

    @Test
    void part3aSingleNode() throws Exception {
        run("3a", 1, 10, 0, false, List.of());
    }

    @Test
    void part3bFiveNodes() throws Exception {
        run("3b", 5, 10, 0, false, List.of());
    }

    @Test
    void part3cFiveNodesThroughPartitions() throws Exception {
        run("3c", 5, 10, 0, true, List.of());
    }

    @Test
    void part3dFlagsThroughPartitions() throws Exception {
        Results results = run("3d", 25, 100, 100, true, List.of());
        // About 3.5 when healthy; partitions drop fan-outs and add resends, but not many.
        assertTrue(results.serversMsgsPerOp() < 6, "servers msgs-per-op " + results.serversMsgsPerOp());
    }

    @Test
    void part3eLowMessageSettingThroughPartitions() throws Exception {
        Results results = run("3e", 25, 100, 100, true, LEAN);
        assertTrue(results.serversMsgsPerOp() < 1.5, "servers msgs-per-op " + results.serversMsgsPerOp());
    }

    private static Results run(String part, int nodes, double rate, long latency, boolean partition, List<String> flags)
            throws Exception {
        Outcome outcome = run(part, nodes, rate, latency, partition, TIME_LIMIT, NEMESIS_INTERVAL,
                partition ? QUIET_PERIOD : 1, 1, flags);
        Results results = outcome.results();
        Verdict verdict = results.verdict();
        System.out.printf("%s: servers msgs-per-op %.2f, stable latencies %s, lost %s%n", part,
                results.serversMsgsPerOp(), verdict == null ? "none" : verdict.details().get("stable-latencies"),
                verdict == null ? "?" : verdict.details().get("lost-count"));
        assertEquals(Verdict.Validity.VALID, results.validity(), () -> "findings " + (verdict == null ? "none"
                : verdict.findings()) + ", problems " + results.problems() + ", see " + results.options().runDir());
        assertEquals(List.of(), outcome.badReads(), "reads with duplicates or values never broadcast");
        return results;
    }

    /**
     * A run's results, its reads that held a duplicate or a value never broadcast, and
     * each acknowledged value's stable latency.
     */
    record Outcome(Results results, List<String> badReads, List<Stable> stable) {

        /** The largest stable latency, in ms, of the values acknowledged after {@code seconds} of the run. */
        long maxLatencyAfter(double seconds) {
            return stable.stream().filter(s -> s.completedMillis() > seconds * 1000).mapToLong(Stable::latencyMillis)
                    .max().orElse(0);
        }
    }

    /**
     * When a broadcast was acknowledged (ms into the run) and how long after that the
     * last read that missed its value was invoked (ms, at least 0): the checker's stable
     * latency, per value.
     */
    record Stable(long completedMillis, long latencyMillis) {}

    /** Runs broadcast.java with {@code flags} on the bench; the run's folder is under store/tests/broadcast. */
    static Outcome run(String label, int nodes, double rate, long latency, boolean partition, double timeLimit,
                       double nemesisInterval, double quietPeriod, long seed, List<String> flags) throws Exception {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS"));
        var args = new ArrayList<>(List.of("broadcast"));
        args.addAll(flags);
        var options = new Options("broadcast", ROOT.resolve("maelstrom.sh").toRealPath(), args, nodes, timeLimit, rate,
                latency, Options.LatencyDist.CONSTANT, "grid", partition, nemesisInterval, nodes, null, quietPeriod,
                seed, ROOT.resolve("store/tests/broadcast/" + label + "-" + stamp), List.of("strict-serializable"), 4,
                16, null);
        Files.createDirectories(options.runDir());
        var observed = new Observed(new BroadcastWorkload(options));
        Results results = Runner.run(options, observed, System.err);
        results.write();
        return new Outcome(results, observed.badReads, observed.stable);
    }

    /** The broadcast workload, with every read checked for duplicates and for values no client broadcast. */
    static final class Observed implements Workload {
        private final BroadcastWorkload workload;
        private final Set<Long> broadcast = new HashSet<>();
        final List<String> badReads = new ArrayList<>();
        final List<Stable> stable = new ArrayList<>();

        Observed(BroadcastWorkload workload) {
            this.workload = workload;
        }

        @Override
        public ObjectNode setup(String node, List<String> nodes) {
            return workload.setup(node, nodes);
        }

        @Override
        public ObjectNode next(int process, Random random) {
            ObjectNode body = workload.next(process, random);
            if (body != null && body.has("message")) broadcast.add(body.get("message").asLong());
            return body;
        }

        @Override
        public boolean hasFinalPhase() {
            return workload.hasFinalPhase();
        }

        @Override
        public ObjectNode nextFinal(int process, Random random) {
            return workload.nextFinal(process, random);
        }

        @Override
        public void completed(Op op) {
            workload.completed(op);
            if (!op.ok() || !op.f().equals("read")) return;
            Set<Long> seen = new HashSet<>();
            for (JsonNode value : op.reply().get("messages")) {
                boolean known = value.isIntegralNumber() && broadcast.contains(value.asLong());
                if (!known || !seen.add(value.asLong())) {
                    badReads.add(op.node() + " read " + value + (known ? " twice" : ", never broadcast"));
                }
            }
        }

        @Override
        public Verdict check(List<Op> history) {
            Map<Long, Long> acknowledged = new HashMap<>();
            Map<Long, Long> lastMiss = new HashMap<>();
            for (Op op : history) {
                if (op.ok() && op.f().equals("broadcast")) {
                    acknowledged.put(op.request().get("message").asLong(), op.completedAt());
                }
            }
            for (Op op : history) {
                if (!op.ok() || !op.f().equals("read")) continue;
                Set<Long> seen = new HashSet<>();
                op.reply().get("messages").forEach(v -> seen.add(v.asLong()));
                for (Long value : acknowledged.keySet()) {
                    if (!seen.contains(value)) lastMiss.merge(value, op.invokedAt(), Math::max);
                }
            }
            acknowledged.forEach((value, at) -> stable.add(new Stable(at / 1_000_000,
                    Math.max(0, lastMiss.getOrDefault(value, 0L) - at) / 1_000_000)));
            return workload.check(history);
        }
    }
}
