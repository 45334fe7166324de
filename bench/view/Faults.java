package bench.view;

import bench.nemesis.NemesisEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The nemesis's events as intervals to shade: a partition from its start-partition to
 * the stop-partition after it, a kill to the start after it, a pause to the resume.
 */
public final class Faults {

    /**
     * One fault in force.
     *
     * @param fromNanos when it began, since the start of the main phase
     * @param toNanos   when it ended, or the end of the run when it never did
     * @param kind      what it was ("partition", "kill", "pause")
     * @param detail    its shape or the nodes it hit, or ""
     */
    public record Interval(long fromNanos, long toNanos, String kind, String detail) {
    }

    /** Each fault's kind by the f that begins it, and the f that ends it. */
    private static final Map<String, String> KIND = Map.of("start-partition", "partition", "kill", "kill",
            "pause", "pause");
    private static final Map<String, String> ENDS = Map.of("stop-partition", "partition", "start", "kill",
            "resume", "pause");

    private Faults() {
    }

    /** The intervals of {@code events}, in order of their start; one still open ends at {@code endNanos}. */
    public static List<Interval> intervals(List<NemesisEvent> events, long endNanos) {
        List<Interval> intervals = new ArrayList<>();
        Map<String, NemesisEvent> open = new LinkedHashMap<>();
        for (NemesisEvent e : events) {
            String begins = KIND.get(e.f());
            String ends = ENDS.get(e.f());
            if (begins != null && !(e instanceof NemesisEvent.Processes p && p.changed().isEmpty())) {
                open.putIfAbsent(begins, e);
            } else if (ends != null) {
                NemesisEvent began = open.remove(ends);
                if (began != null) {
                    intervals.add(interval(began, ends, e.completedNanos()));
                }
            }
        }
        open.forEach((kind, e) -> intervals.add(interval(e, kind, Math.max(endNanos, e.invokedNanos()))));
        intervals.sort(Comparator.comparingLong(Interval::fromNanos));
        return intervals;
    }

    private static Interval interval(NemesisEvent began, String kind, long end) {
        String detail = switch (began) {
            case NemesisEvent.Partition p -> p.shape() == null ? "" : p.shape();
            case NemesisEvent.Processes p -> String.join(" ", p.changed());
        };
        return new Interval(began.completedNanos(), end, kind, detail);
    }
}
