package bench.nemesis;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the nemesis acts on: the network's partitions and the node processes. Each
 * process operation takes the nodes a {@link NodeSpec} picked and answers those it
 * changed: a node already killed is not killed again, a running one not started.
 */
public interface Target {

    /** Applies a grudge: for each receiver, the senders whose messages it drops. */
    void partition(Map<String, Set<String>> grudge);

    /** Ends every partition. */
    void heal();

    /** Kills those of {@code nodes} not already killed; answers the ones it killed. */
    List<String> kill(List<String> nodes);

    /** Starts again those of {@code nodes} that were killed, each initialised; answers the ones it started. */
    List<String> start(List<String> nodes);

    /** Suspends those of {@code nodes} that are running; answers the ones it paused. */
    List<String> pause(List<String> nodes);

    /** Continues those of {@code nodes} that are paused; answers the ones it resumed. */
    List<String> resume(List<String> nodes);
}
