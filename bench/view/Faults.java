package bench.view;

import bench.nemesis.NemesisEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The nemesis's events as intervals to shade: from each "start-X" to the "stop-X" after it. */
public final class Faults {

    /**
     * One fault in force.
     *
     * @param fromNanos when it began, since the start of the main phase
     * @param toNanos   when it ended, or the end of the run when it never did
     * @param kind      what it was ("partition", ...)
     * @param detail    its shape or target, or ""
     */
    public record Interval(long fromNanos, long toNanos, String kind, String detail) {
    }

    private Faults() {
    }

    /** The intervals of {@code events}, in order of their start; one still open ends at {@code endNanos}. */
    public static List<Interval> intervals(List<NemesisEvent> events, long endNanos) {
        List<Interval> intervals = new ArrayList<>();
        Map<String, NemesisEvent> open = new LinkedHashMap<>();
        for (NemesisEvent e : events) {
            if (e.f().startsWith("start-")) {
                open.putIfAbsent(e.f().substring(6), e);
            } else if (e.f().startsWith("stop-")) {
                NemesisEvent began = open.remove(e.f().substring(5));
                if (began != null) {
                    intervals.add(interval(began, e.atNanos()));
                }
            }
        }
        open.values().forEach(e -> intervals.add(interval(e, Math.max(endNanos, e.atNanos()))));
        intervals.sort(java.util.Comparator.comparingLong(Interval::fromNanos));
        return intervals;
    }

    private static Interval interval(NemesisEvent began, long end) {
        return new Interval(began.atNanos(), end, began.f().substring(6), began.shape() == null ? "" : began.shape());
    }
}
