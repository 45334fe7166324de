package bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The Gossip Glomers parts as presets: the official flags of each part and the criteria
 * its page states, judged on a run's results. To add a part, add its entry here.
 */
public final class Challenges {

    /**
     * One criterion.
     *
     * @param name    what is required ("servers msgs-per-op < 30")
     * @param measure reads the measured value from the results, or null when absent
     * @param limit   the bound the value must stay strictly below, or null for a
     *                criterion judged by {@code pass} alone
     */
    public record Criterion(String name, Function<Results, Double> measure, Double limit) {

        /** The measured value, or null. */
        public Double value(Results results) {
            return measure.apply(results);
        }

        /** Whether the results meet it. */
        public boolean pass(Results results) {
            Double v = value(results);
            return v != null && (limit == null ? v == 1.0 : v < limit);
        }
    }

    /**
     * A part of the challenge.
     *
     * @param part     its name ("3d")
     * @param workload the Maelstrom workload it runs
     * @param script   the maelstrom.sh argument that runs our solution
     * @param flags    the official command-line flags, without --bin and -w
     * @param criteria what the part requires
     */
    public record Challenge(String part, String workload, String script, List<String> flags, List<Criterion> criteria) {
    }

    /** The checker's verdict as a criterion: 1 when valid. */
    static final Criterion VALID = new Criterion("checker valid", r -> r.validity() == Verdict.Validity.VALID ? 1.0 : 0.0, null);

    static Criterion serversMsgsPerOp(double limit) {
        return new Criterion("servers msgs-per-op < " + (long) limit, Results::serversMsgsPerOp, limit);
    }

    static Criterion stableLatency(String quantile, String label, double limitMillis) {
        return new Criterion("stable latency " + label + " < " + (long) limitMillis + " ms", r -> {
            if (r.verdict() == null) {
                return null;
            }
            JsonNode v = r.verdict().details().path("stable-latencies").get(quantile);
            return v == null ? null : v.asDouble();
        }, limitMillis);
    }

    private static final List<String> BROADCAST_FAST = List.of("--node-count", "25", "--time-limit", "20", "--rate", "100",
            "--latency", "100");

    private static final Map<String, Challenge> PRESETS = Map.ofEntries(
            Map.entry("1", new Challenge("1", "echo", "echo", List.of("--node-count", "1", "--time-limit", "10"), List.of(VALID))),
            Map.entry("2", new Challenge("2", "unique-ids", "unique-ids", List.of("--time-limit", "30", "--rate", "1000",
                    "--node-count", "3", "--availability", "total", "--nemesis", "partition"), List.of(VALID))),
            Map.entry("3a", new Challenge("3a", "broadcast", "broadcast", List.of("--node-count", "1", "--time-limit", "20",
                    "--rate", "10"), List.of(VALID))),
            Map.entry("3b", new Challenge("3b", "broadcast", "broadcast", List.of("--node-count", "5", "--time-limit", "20",
                    "--rate", "10"), List.of(VALID))),
            Map.entry("3c", new Challenge("3c", "broadcast", "broadcast", List.of("--node-count", "5", "--time-limit", "20",
                    "--rate", "10", "--nemesis", "partition"), List.of(VALID))),
            Map.entry("3d", new Challenge("3d", "broadcast", "broadcast", BROADCAST_FAST, List.of(VALID,
                    serversMsgsPerOp(30), stableLatency("0.5", "median", 400), stableLatency("1", "max", 600)))),
            Map.entry("3e", new Challenge("3e", "broadcast", "broadcast", BROADCAST_FAST, List.of(VALID,
                    serversMsgsPerOp(20), stableLatency("0.5", "median", 1000), stableLatency("1", "max", 2000)))),
            Map.entry("4", new Challenge("4", "g-counter", "g-counter", List.of("--node-count", "3", "--rate", "100",
                    "--time-limit", "20", "--nemesis", "partition"), List.of(VALID))));

    private Challenges() {
    }

    /** The preset for a part, or null when there is none. */
    public static Challenge get(String part) {
        return PRESETS.get(part);
    }

    /** The parts with presets, sorted. */
    public static List<String> parts() {
        return PRESETS.keySet().stream().sorted().toList();
    }
}
