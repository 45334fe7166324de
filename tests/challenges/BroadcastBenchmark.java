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
 * and as the median over seeds, servers msgs-per-op, median and max stable latency, and
 * lost values. Takes about 40 s a run; skipped unless asked for:
 *
 * <pre>./jbang -Dbroadcast.benchmark=true tests.java --select '.*BroadcastBenchmark'</pre>
 *
 * <p>{@code -Dbroadcast.seeds=1,2,3} picks the seeds; {@code -Dbroadcast.nemesis=false}
 * leaves out the partitioned runs.
 */
class BroadcastBenchmark {

    record Setting(String name, List<String> flags) {}

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
        var table = new StringBuilder(String.format("%-12s %-10s %6s %12s %10s %10s %6s%n", "setting", "nemesis",
                "seed", "msgs-per-op", "median ms", "max ms", "lost"));
        for (boolean partition : partitions) {
            for (Setting setting : SETTINGS) {
                List<Results> runs = new ArrayList<>();
                for (long seed : seeds) {
                    BroadcastTest.Outcome outcome = BroadcastTest.run("benchmark-" + setting.name(), 25, 100, 100,
                            partition, 20, 10, 10, seed, setting.flags());
                    Results r = outcome.results();
                    runs.add(r);
                    String row = row(setting.name(), partition, Long.toString(seed), r.serversMsgsPerOp(),
                            latency(r, "0.5"), latency(r, "1"), lost(r));
                    System.out.print(row);
                    table.append(row);
                }
                table.append(row(setting.name(), partition, "median", median(runs, Results::serversMsgsPerOp),
                        median(runs, r -> latency(r, "0.5")), median(runs, r -> latency(r, "1")),
                        median(runs, BroadcastBenchmark::lost)));
            }
        }
        System.out.print(table);
    }

    private static String row(String setting, boolean partition, String seed, double msgs, double median, double max,
                              double lost) {
        return String.format("%-12s %-10s %6s %12.2f %10.0f %10.0f %6.0f%n", setting, partition ? "partition" : "none",
                seed, msgs, median, max, lost);
    }

    private static double latency(Results r, String quantile) {
        JsonNode v = r.verdict() == null ? null : r.verdict().details().path("stable-latencies").get(quantile);
        return v == null ? Double.NaN : v.asDouble();
    }

    private static double lost(Results r) {
        return r.verdict() == null ? Double.NaN : r.verdict().details().path("lost-count").asDouble(Double.NaN);
    }

    private static double median(List<Results> runs, ToDoubleFunction<Results> measure) {
        double[] v = runs.stream().mapToDouble(measure).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
