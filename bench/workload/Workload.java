package bench.workload;

import bench.Op;
import bench.report.Verdict;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * What a Maelstrom workload contributes to a test: the requests its clients make, and
 * the verdict on the history. The bench owns processes, network, clients, timing and
 * the net statistics; a workload only knows message bodies.
 *
 * <p>The bench never calls one workload from two threads at once, so implementations
 * may keep plain mutable state (keys in use, offsets seen, values written).
 */
public interface Workload {

    /**
     * The type of a body that {@link #next} or {@link #nextFinal} may return to crash the
     * client, as Jepsen's kafka workload does: the bench sends nothing, records an
     * indefinite operation, and the thread goes on as a new process with a new client
     * (unless {@link #reusableClient}).
     */
    String CRASH = "crash";

    /** Maelstrom's client request timeout, unless a workload's client passes its own ({@link #requestTimeout}). */
    Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    /**
     * The body the bench sends once to {@code node} after every node answered init and
     * before clients start, or null for none (broadcast sends its topology here).
     */
    default ObjectNode setup(String node, List<String> nodes) {
        return null;
    }

    /**
     * The body of the next request of this client process in the main phase, without
     * msg_id, or null to let this tick pass. {@code process} is stable for a client
     * until one of its requests times out.
     */
    ObjectNode next(int process, Random random);

    /**
     * Whether an operation of this type is idempotent for Maelstrom's client: then a
     * timeout or an indefinite error ends it as FAIL rather than INFO, and its process
     * goes on (broadcast's read). Maelstrom names these per workload.
     */
    default boolean idempotent(String f) {
        return false;
    }

    /**
     * How long Maelstrom's client for this workload waits for a reply before it gives the
     * operation up (as unknown, or failed when idempotent): the client's default unless the
     * workload passes its own (lin-kv does).
     */
    default Duration requestTimeout() {
        return REQUEST_TIMEOUT;
    }

    /**
     * Whether Maelstrom's client for this workload is reusable: it then keeps its client
     * (and client id) when a timeout gives its thread a new process, where others close
     * it and open a new one. A node that answers a closed client after the timeout has
     * its output ended, in Maelstrom and here. unique-ids and txn-rw-register are reusable.
     */
    default boolean reusableClient() {
        return false;
    }

    /**
     * Whether the test ends with Maelstrom's final phase: heal the network, wait the
     * quiet period, then {@link #nextFinal} for every client thread. Maelstrom has it
     * only for workloads with a final generator (broadcast, g-counter, kafka); without
     * it the test ends right after the time limit.
     */
    default boolean hasFinalPhase() {
        return false;
    }

    /**
     * The next request of this process in the final phase (after the nemesis healed and
     * the quiet period), or null when the process has nothing more to ask. Called again
     * after each completion, so a workload can poll until it has caught up.
     */
    default ObjectNode nextFinal(int process, Random random) {
        return null;
    }

    /**
     * How many final requests of type {@code f} each client thread makes per second at
     * most, scheduled as Jepsen's {@code stagger} does (gaps of 0 to 2/rate); 0 for
     * back to back. Jepsen staggers kafka's final polls at 5 per second.
     */
    default double finalRate(String f) {
        return 0;
    }

    /** Told of every completed operation, in completion order. */
    default void completed(Op op) {
    }

    /**
     * The request that carries on the Maelstrom operation {@code op} began, sent at once
     * after {@code op} ended ok (and {@link #completed} saw it), or null when the operation
     * is whole. Maelstrom's kafka client commits what a poll returned inside the poll's
     * operation. Each request is an operation of the history the checker reads; the op
     * counts, ok fraction and latencies count them together, as Maelstrom reports them.
     */
    default ObjectNode continuation(Op op) {
        return null;
    }

    /** Judges the whole history, in invocation order. */
    Verdict check(List<Op> history);
}
