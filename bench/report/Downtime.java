package bench.report;

import bench.nemesis.NemesisEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * When each node was down, from the nemesis's events: killed from its kill until its
 * restart had answered init, paused from its pause until it was resumed (or killed).
 */
public final class Downtime {

    /**
     * One stretch of time a node was down.
     *
     * @param fault      "kill" or "pause"
     * @param fromMillis when it went down, since the start of the main phase
     * @param toMillis   when it was back, or null when it never came back before the end
     */
    public record Span(String fault, long fromMillis, Long toMillis) {

        @Override
        public String toString() {
            return (fault.equals("kill") ? "killed " : "paused ") + fromMillis + "–" + (toMillis == null ? "end" : toMillis)
                    + " ms";
        }
    }

    private Downtime() {
    }

    /** Each node's stretches down, in order; nodes never down are absent. */
    public static Map<String, List<Span>> of(List<NemesisEvent> events) {
        Map<String, List<Span>> spans = new TreeMap<>();
        Map<String, Span> open = new HashMap<>();
        for (NemesisEvent e : events) {
            if (!(e instanceof NemesisEvent.Processes p)) {
                continue;
            }
            long from = p.invokedNanos() / 1_000_000, to = p.completedNanos() / 1_000_000;
            for (String node : p.changed()) {
                switch (p.f()) {
                    case "kill", "pause" -> {
                        // A paused node can be killed: its pause ends there.
                        close(spans, open.remove(node), node, from);
                        open.put(node, new Span(p.f(), from, null));
                    }
                    default -> close(spans, open.remove(node), node, to);
                }
            }
        }
        open.forEach((node, span) -> spans.computeIfAbsent(node, n -> new ArrayList<>()).add(span));
        spans.values().forEach(list -> list.sort((a, b) -> Long.compare(a.fromMillis(), b.fromMillis())));
        return spans;
    }

    private static void close(Map<String, List<Span>> spans, Span span, String node, long to) {
        if (span != null) {
            spans.computeIfAbsent(node, n -> new ArrayList<>()).add(new Span(span.fault(), span.fromMillis(), to));
        }
    }
}
