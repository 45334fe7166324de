package bench.report;

import bench.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * How long the main phase's successful operations of one type took, from request to
 * reply, in milliseconds, at the quantiles Maelstrom's latency plots use.
 *
 * @param count operations measured
 * @param min   quantile 0
 * @param p50   the median
 * @param p95   quantile 0.95
 * @param p99   quantile 0.99
 * @param max   quantile 1
 */
public record Latencies(int count, double min, double p50, double p95, double p99, double max) {

    /** The latencies of the successful main-phase operations, per type, and "all" of them. */
    public static Map<String, Latencies> of(List<Op> history) {
        List<Op> measured = history.stream().filter(op -> op.ok() && !op.isFinal()).toList();
        Map<String, Latencies> byType = new TreeMap<>(measured.stream()
                .collect(Collectors.groupingBy(Op::f, Collectors.collectingAndThen(Collectors.toList(), Latencies::over))));
        if (byType.size() > 1) byType.put("all", over(measured));
        return byType;
    }

    private static Latencies over(List<Op> ops) {
        var millis = new ArrayList<Double>(ops.size());
        ops.forEach(op -> millis.add((op.completedAt() - op.invokedAt()) / 1e6));
        millis.sort(null);
        return new Latencies(millis.size(), at(millis, 0), at(millis, 0.5), at(millis, 0.95), at(millis, 0.99), at(millis, 1));
    }

    /** The nearest-rank quantile q of sorted values. */
    private static double at(List<Double> sorted, double q) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size())));
    }
}
