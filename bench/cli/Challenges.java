package bench.cli;

import bench.Options;
import bench.report.Results;
import bench.report.Verdict;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The Gossip Glomers parts as presets: the official flags of each part and the criteria
 * its page states, judged on a run's results; and the commands of Maelstrom's own course
 * after them: its CRDT chapter's (g-set-a, g-set-b, pn-counter-a, pn-counter-b), with our
 * targets for them, its Raft chapter's (lin-kv-a to lin-kv-c) and its txn-list-append
 * chapter's (txn-list-append-a to -c). To add a part, add its entry here.
 */
public final class Challenges {

    /**
     * One criterion.
     *
     * @param name    what is required ("servers msgs-per-op < 30")
     * @param measure reads the measured value from the results, or null when absent
     * @param limit   the bound the value must stay strictly below, or null for a
     *                criterion judged by {@code pass} alone
     * @param kind    what it measures, which decides the runs it applies to
     */
    public record Criterion(String name, Function<Results, Double> measure, Double limit, Kind kind) {

        /** The measured value, or null. */
        public Double value(Results results) {
            return measure.apply(results);
        }

        /** Whether the results meet it. */
        public boolean pass(Results results) {
            Double v = value(results);
            return v != null && (limit == null ? v == 1.0 : v < limit);
        }

        /**
         * A measured value with two decimals, or as many more (up to six) as it takes not to
         * show a fraction as a whole number: an ok fraction of 0.9997 is not "1.00".
         */
        public static String shown(double v) {
            String text = String.format("%.2f", v);
            for (int decimals = 3; decimals <= 6 && v != Math.rint(v) && Double.parseDouble(text) == Math.rint(v);
                 decimals++) {
                text = String.format("%." + decimals + "f", v);
            }
            return text;
        }
    }

    /** What a criterion measures. */
    public enum Kind {
        /** The checker's verdict: applies to every run. */
        SAFETY,
        /** Messages or latency: measured under the part's own faults only. */
        PERFORMANCE,
        /** A bound on the ok fraction: cannot hold while nodes are killed or paused. */
        AVAILABILITY,
        /** A figure only reported, with no bound: applies to every run. */
        REPORTED
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

        /** The criteria that apply to a run: those {@link #whyNotJudged} has no reason to skip. */
        public List<Criterion> judged(Options options) {
            return criteria.stream().filter(c -> whyNotJudged(c, options) == null).toList();
        }

        /**
         * Why a criterion does not apply to a run, or null when it does. The parts that
         * measure performance (3d, 3e) do so without faults and only ask for correctness
         * under them, so with a fault the part's own flags lack, performance is not judged.
         * A request to a killed or paused node times out, so no availability bound holds
         * under kill or pause: the safety checks must still hold, and availability is reported.
         */
        public String whyNotJudged(Criterion criterion, Options options) {
            int at = flags.indexOf("--nemesis");
            Set<Options.Fault> own = at < 0 ? Set.of() : Options.Fault.parse(flags.get(at + 1));
            boolean addedFaults = !own.containsAll(options.faults().enabled());
            return switch (criterion.kind()) {
                case PERFORMANCE -> addedFaults ? "performance is measured under the part's own faults only" : null;
                case AVAILABILITY -> options.faults().crashes()
                        ? "no availability bound holds while nodes are killed or paused" : null;
                case SAFETY, REPORTED -> null;
            };
        }
    }

    /** The checker's verdict as a criterion: 1 when valid. */
    static final Criterion VALID = new Criterion("checker valid",
            r -> r.validity() == Verdict.Validity.VALID ? 1.0 : 0.0, null, Kind.SAFETY);

    static Criterion serversMsgsPerOp(double limit) {
        return new Criterion("servers msgs-per-op < " + BigDecimal.valueOf(limit).stripTrailingZeros().toPlainString(),
                Results::serversMsgsPerOp, limit, Kind.PERFORMANCE);
    }

    static Criterion stableLatency(String quantile, String label, double limitMillis) {
        return new Criterion("stable latency " + label + " < " + (long) limitMillis + " ms", r -> {
            if (r.verdict() == null) {
                return null;
            }
            JsonNode v = r.verdict().details().path("stable-latencies").get(quantile);
            return v == null ? null : v.asDouble();
        }, limitMillis, Kind.PERFORMANCE);
    }

    /** Availability as a criterion: 1 when every operation ended ok, as --availability total demands. */
    static final Criterion TOTAL_AVAILABILITY = new Criterion("availability total (ok fraction = 1)",
            r -> r.ops().okFraction(), null, Kind.AVAILABILITY);

    /** Servers msgs-per-op, only reported: 5c's page asks for "fewer" than 5b, not a bound. */
    static final Criterion SERVERS_MSGS_PER_OP = new Criterion("servers msgs-per-op (reported)",
            Results::serversMsgsPerOp, Double.POSITIVE_INFINITY, Kind.REPORTED);

    /** The ok fraction, only reported (5c asks for better availability than 5b, not a bound). */
    static final Criterion AVAILABILITY = new Criterion("availability (reported)", r -> r.ops().okFraction(),
            Double.POSITIVE_INFINITY, Kind.REPORTED);

    private static final List<String> KAFKA = List.of("--concurrency", "2n", "--time-limit", "20", "--rate", "1000");

    private static List<String> txn(String nodes, String models, boolean partition) {
        var flags = new ArrayList<>(List.of("--node-count", nodes, "--concurrency", "2n", "--time-limit", "20",
                "--rate", "1000", "--consistency-models", models, "--availability", "total"));
        if (partition) {
            flags.addAll(List.of("--nemesis", "partition"));
        }
        return List.copyOf(flags);
    }

    private static List<String> kafka(String nodes) {
        var flags = new ArrayList<>(List.of("--node-count", nodes));
        flags.addAll(KAFKA);
        return List.copyOf(flags);
    }

    private static final List<String> BROADCAST_FAST = List.of("--node-count", "25", "--time-limit", "20", "--rate", "100",
            "--latency", "100");

    /** Maelstrom's lin-kv commands of its Raft chapter, beyond the fourteen parts. */
    private static Challenge linKv(String part, String... flags) {
        return new Challenge(part, "lin-kv", "lin-kv", List.of(flags), List.of(VALID, AVAILABILITY));
    }

    /** The commands of Maelstrom's txn-list-append chapter (doc/05-datomic), beyond the fourteen parts. */
    private static Challenge listAppend(String part, String... flags) {
        return new Challenge(part, "txn-list-append", "txn-list-append", List.of(flags), List.of(VALID,
                SERVERS_MSGS_PER_OP, AVAILABILITY));
    }

    /** Maelstrom's CRDT chapter: its commands for {@code workload}, run on the script of that name. */
    private static Challenge crdt(String part, String workload, List<String> flags, Criterion... criteria) {
        return new Challenge(part, workload, workload, flags, List.of(criteria));
    }

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
                    "--time-limit", "20", "--nemesis", "partition"), List.of(VALID))),
            Map.entry("5a", new Challenge("5a", "kafka", "kafka", kafka("1"), List.of(VALID))),
            Map.entry("5b", new Challenge("5b", "kafka", "kafka", kafka("2"), List.of(VALID))),
            Map.entry("5c", new Challenge("5c", "kafka", "kafka", kafka("2"), List.of(VALID, SERVERS_MSGS_PER_OP,
                    AVAILABILITY))),
            Map.entry("6a", new Challenge("6a", "txn-rw-register", "txn-rw-register",
                    txn("1", "read-uncommitted", false), List.of(VALID, TOTAL_AVAILABILITY))),
            Map.entry("6b", new Challenge("6b", "txn-rw-register", "txn-rw-register",
                    txn("2", "read-uncommitted", true), List.of(VALID, TOTAL_AVAILABILITY))),
            Map.entry("6c", new Challenge("6c", "txn-rw-register", "txn-rw-register",
                    txn("2", "read-committed", true), List.of(VALID, TOTAL_AVAILABILITY))),
            Map.entry("g-set-a", crdt("g-set-a", "g-set", List.of("--time-limit", "20", "--rate", "10"), VALID,
                    serversMsgsPerOp(1), stableLatency("0.5", "median", 500))),
            Map.entry("g-set-b", crdt("g-set-b", "g-set", List.of("--time-limit", "30", "--rate", "10", "--nemesis",
                    "partition"), VALID, SERVERS_MSGS_PER_OP)),
            Map.entry("pn-counter-a", crdt("pn-counter-a", "pn-counter", List.of("--time-limit", "20", "--rate", "10"),
                    VALID, serversMsgsPerOp(0.5))),
            Map.entry("pn-counter-b", crdt("pn-counter-b", "pn-counter", List.of("--time-limit", "30", "--nemesis",
                    "partition"), VALID, SERVERS_MSGS_PER_OP)),
            Map.entry("lin-kv-a", linKv("lin-kv-a", "--node-count", "3", "--concurrency", "2n", "--time-limit", "20",
                    "--rate", "100")),
            Map.entry("lin-kv-b", linKv("lin-kv-b", "--node-count", "3", "--concurrency", "4n", "--rate", "30",
                    "--time-limit", "60", "--nemesis", "partition", "--nemesis-interval", "10")),
            Map.entry("lin-kv-c", linKv("lin-kv-c", "--node-count", "5", "--concurrency", "10n", "--rate", "100",
                    "--time-limit", "60", "--nemesis", "partition", "--nemesis-interval", "3")),
            Map.entry("txn-list-append-a", listAppend("txn-list-append-a", "--node-count", "1", "--time-limit", "10")),
            Map.entry("txn-list-append-b", listAppend("txn-list-append-b", "--node-count", "1", "--concurrency", "10n",
                    "--rate", "100", "--time-limit", "30")),
            Map.entry("txn-list-append-c", listAppend("txn-list-append-c", "--node-count", "2", "--time-limit", "10",
                    "--rate", "100")));

    private Challenges() {
    }

    /** The preset for a part, or null when there is none. */
    public static Challenge get(String part) {
        return PRESETS.get(part);
    }

    /** The preset for a part; throws IllegalArgumentException, naming the parts there are, when there is none. */
    public static Challenge require(String part) {
        Challenge preset = get(part);
        if (preset == null) {
            throw new IllegalArgumentException("no preset for part " + part + "; one of " + parts());
        }
        return preset;
    }

    /** The preset for a part, or null after saying on stderr that there is none. */
    static Challenge presetOrComplain(String part) {
        try {
            return require(part);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            return null;
        }
    }

    /** The parts with presets, sorted. */
    public static List<String> parts() {
        return PRESETS.keySet().stream().sorted().toList();
    }

    /** The parts, for picocli's {@code ${COMPLETION-CANDIDATES}} in a description. */
    public static final class PartNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return parts().iterator();
        }
    }
}
