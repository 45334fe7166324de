package bench.nemesis;

import java.util.Map;
import java.util.Set;

/**
 * One nemesis operation.
 *
 * @param atNanos time since the start of the main phase
 * @param f       "start-partition" or "stop-partition"
 * @param shape   the partition shape, or null
 * @param grudge  receivers and the senders they drop
 */
public record NemesisEvent(long atNanos, String f, String shape, Map<String, Set<String>> grudge) {
}
