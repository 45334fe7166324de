package bench.view;

import bench.Op;
import java.util.List;

/**
 * What a run's pictures are drawn from; times in nanoseconds since the start of the
 * main phase (init and setup come before it, at negative times).
 *
 * @param title            the run in a few words ("broadcast, 25 nodes, seed 7")
 * @param ops              the client operations, in order of invocation
 * @param faults           the faults in force, in order
 * @param flights          every message, in order of sending
 * @param truncated        whether the journal filled up and later messages are missing
 * @param timeLimitSeconds the length of the main phase
 * @param endNanos         when the run ended
 */
public record RunTrace(String title, List<Op> ops, List<Faults.Interval> faults, List<MessageJournal.Flight> flights,
                       boolean truncated, double timeLimitSeconds, long endNanos) {
}
