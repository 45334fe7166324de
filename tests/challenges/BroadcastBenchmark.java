package tests.challenges;

import bench.Results;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The figures of broadcast.java: the 3d command at full length (25 nodes, rate 100,
 * latency 100, 20 s, then Maelstrom's 10 s of quiet) in the default and the
 * low-message setting, healthy and with partitions, over several seeds. Prints, per run
 * and as the median over seeds, servers msgs-per-op, median and max stable latency, the
 * max over values acknowledged after the first 3 s, and lost values. Takes about 40 s a run; skipped unless asked for:
 *
 * <pre>./jbang -Dbroadcast.benchmark=true tests.java --select '.*BroadcastBenchmark'</pre>
 *
 * <p>{@code -Dbroadcast.seeds=1,2,3} picks the seeds; {@code -Dbroadcast.nemesis=false}
 * leaves out the partitioned runs.
 */
class BroadcastBenchmark {

    record Setting(String name, List<String> flags) {}

    /**
     * Seconds at the start of a run left out of the "max after" column: 25 JVMs warming
     * up on two cores saturate them then, and the first values wait for CPU, not for
     * the algorithm.
     */
    static final double WARM_UP = 3;
    static final String FORMAT = "%-12s %-10s %6s %12.2f %10.0f %10.0f %14.0f %6.0f%n";

    static final List<Setting> SETTINGS = List.of(new Setting("default", List.of()),
            new Setting("low-message", BroadcastTest.LEAN));

    @Test
    @EnabledIfSystemProperty(named = "broadcast.benchmark", matches = "true",
            disabledReason = "a benchmark: -Dbroadcast.benchmark=true")
    void figures() throws Exception {
        BroadcastTest.prepare();
        long[] seeds = Arrays.stream(System.getProperty("broadcast.seeds", "1,2,3").split(","))
                .mapToLong(s -> Long.parseLong(s.trim())).toArray();
        List<Boolean> partitions = Boolean.parseBoolean(System.getProperty("broadcast.nemesis", "true"))
                ? List.of(false, true) : List.of(false);
        var table = new StringBuilder(String.format("%-12s %-10s %6s %12s %10s %10s %14s %6s%n", "setting", "nemesis",
                "seed", "msgs-per-op", "median ms", "max ms", "max after 3 s", "lost"));
        for (boolean partition : partitions) {
            for (Setting setting : SETTINGS) {
                List<BroadcastTest.Outcome> runs = new ArrayList<>();
                for (long seed : seeds) {
                    BroadcastTest.Outcome outcome = BroadcastTest.run("benchmark-" + setting.name(), 25, 100, 100,
                            partition, 20, 10, 10, seed, setting.flags());
                    runs.add(outcome);
                    String row = row(setting.name(), partition, Long.toString(seed), outcome);
                    System.out.print(row);
                    table.append(row);
                }
                table.append(String.format(FORMAT, setting.name(), partition ? "partition" : "none", "median",
                        median(runs, o -> o.results().serversMsgsPerOp()), median(runs, o -> latency(o, "0.5")),
                        median(runs, o -> latency(o, "1")), median(runs, o -> o.maxLatencyAfter(WARM_UP)),
                        median(runs, BroadcastBenchmark::lost)));
            }
        }
        System.out.print(table);
    }

    private static String row(String setting, boolean partition, String seed, BroadcastTest.Outcome o) {
        return String.format(FORMAT, setting, partition ? "partition" : "none", seed, o.results().serversMsgsPerOp(),
                latency(o, "0.5"), latency(o, "1"), (double) o.maxLatencyAfter(WARM_UP), lost(o));
    }

    private static double latency(BroadcastTest.Outcome o, String quantile) {
        Results r = o.results();
        JsonNode v = r.verdict() == null ? null : r.verdict().details().path("stable-latencies").get(quantile);
        return v == null ? Double.NaN : v.asDouble();
    }

    private static double lost(BroadcastTest.Outcome o) {
        Results r = o.results();
        return r.verdict() == null ? Double.NaN : r.verdict().details().path("lost-count").asDouble(Double.NaN);
    }

    private static double median(List<BroadcastTest.Outcome> runs, ToDoubleFunction<BroadcastTest.Outcome> measure) {
        double[] v = runs.stream().mapToDouble(measure).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
