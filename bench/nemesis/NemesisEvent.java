package bench.nemesis;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One nemesis operation, as Jepsen records one: made by the nemesis process, of type
 * info, its value what it targeted. Times are nanoseconds since the start of the main
 * phase.
 */
public sealed interface NemesisEvent {

    /** When the operation began. */
    long invokedNanos();

    /** When it had taken effect (a start: when every restarted node had answered init). */
    long completedNanos();

    /** Jepsen's f: start-partition, stop-partition, kill, start, pause or resume. */
    String f();

    /** Whether it belongs to the final phase's healing. */
    boolean isFinal();

    /**
     * A partition starting or ending.
     *
     * @param shape  the partition shape, or null when it ends
     * @param grudge receivers and the senders they drop (empty when it ends)
     */
    record Partition(long invokedNanos, long completedNanos, String f, String shape,
                     Map<String, Set<String>> grudge, boolean isFinal) implements NemesisEvent {
    }

    /**
     * Node processes killed, started, paused or resumed.
     *
     * @param spec    the {@link NodeSpec} label that picked the targets
     * @param targets the nodes it picked
     * @param changed those of them it changed (a killed node is not killed again)
     */
    record Processes(long invokedNanos, long completedNanos, String f, String spec, List<String> targets,
                     List<String> changed, boolean isFinal) implements NemesisEvent {
    }
}
