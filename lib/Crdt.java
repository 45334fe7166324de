package lib;

import java.time.Duration;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

/**
 * A state-based CRDT replicated across the nodes of a {@link Node}: the script gives the
 * lattice (its deltas, their join and its bottom) and handles the clients; this class
 * keeps each node's replica, journals it, and gossips deltas between nodes through a
 * {@link CrdtReplica}, whose doc gives the protocol and argues its safety.
 *
 * <p>Messages other nodes send (type {@code gossip}) are handled here, in the order they
 * arrive, as a script's {@link Node#handleInOrder} handlers are: register the client
 * handlers that change or read the replica with {@code handleInOrder} too, so that a
 * read sees every delta delivered before it.
 *
 * @param <D> a delta: a value of the lattice, which the replica joins in
 */
public final class Crdt<D> {

    /** How an origin's deltas relate to each other, which decides what the replica keeps of them. */
    public enum Deltas {
        /**
         * Each delta holds only its own update (an added element): a node keeps every one,
         * and a peer that lacks some of an origin's deltas is sent those.
         */
        INCREMENTAL,
        /**
         * Each delta of an origin holds all of that origin's earlier ones too (running
         * totals): a node keeps only the newest, and sends only that.
         */
        CUMULATIVE
    }

    /**
     * The lattice a CRDT's state lives in.
     *
     * @param type   the delta's class: a record the message binding reads and writes
     * @param bottom the empty state, which every join leaves unchanged
     * @param join   the least upper bound of two deltas: commutative, associative and
     *               idempotent, which is what lets gossip repeat and reorder freely
     * @param deltas whether an origin's deltas are each its own or cumulative
     */
    public record Lattice<D>(Class<D> type, D bottom, BinaryOperator<D> join, Deltas deltas) {
    }

    /**
     * When a node sends. The hub (the first node) relays what it takes to every other
     * node at most once per {@code hubBatch}; every other node, a leaf, sends its own
     * updates to the hub at most once per {@code leafBatch} (zero: at once). A node that
     * took news from a peer confirms it within {@link #ackAfter()}, on a message it sends
     * that peer anyway if one goes by then; what a peer has not confirmed after
     * {@link #resendAfter()} is sent again.
     *
     * @param hubBatch  the least time between the hub's relays
     * @param leafBatch the least time between a leaf's sends to the hub
     */
    public record Timing(Duration hubBatch, Duration leafBatch) {

        /**
         * Longer than either batch, so that a peer's next message usually confirms by
         * then and a bare confirmation is rare: a batch plus a second.
         */
        public Duration ackAfter() {
            return (hubBatch.compareTo(leafBatch) > 0 ? hubBatch : leafBatch).plusSeconds(1);
        }

        /**
         * A second longer than {@link #ackAfter()}: the time a confirmation takes to come
         * back when nothing is lost (two network delays, well under a second).
         */
        public Duration resendAfter() {
            return ackAfter().plusSeconds(1);
        }
    }

    /** How often the replica looks at its timers: the resolution of the batches and resends. */
    static final Duration TICK = Duration.ofMillis(20);

    private volatile CrdtReplica<D> replica;

    /**
     * Replicates {@code lattice} among {@code node}'s cluster: at init, opens the node's
     * journal and takes in what an earlier start of the node left there; from then on
     * handles gossip and runs the timers.
     */
    public Crdt(Node node, Lattice<D> lattice, Timing timing) {
        node.onInit(() -> replica = new CrdtReplica<>(lattice, timing, node.id(), node.nodeIds(),
                Disk.open(node).journal("crdt", CrdtReplica.Run.class), node::send, System.nanoTime()));
        node.handleInOrder(CrdtReplica.Gossip.class, request -> {
            CrdtReplica<D> r = replica;
            if (r != null) r.receive(request.src(), request.body(), System.nanoTime()); // before init: the sender resends
        });
        node.every(TICK, () -> {
            CrdtReplica<D> r = replica;
            if (r != null) r.tick(System.nanoTime()); // null only after a failed init, which the node logged
        });
    }

    /**
     * Applies this node's update: {@code change} gets this node's own contribution so far
     * and returns the delta to join in. When this returns the delta is in the journal, so
     * the update may be acknowledged; it reaches the other nodes by gossip.
     *
     * @throws RpcError temporarily unavailable before init
     */
    public void update(UnaryOperator<D> change) {
        ready().update(change, System.nanoTime());
    }

    /** Every node's contribution as this replica holds it, in node order: what a read folds into its answer. */
    public List<D> contributions() {
        return ready().contributions();
    }

    private CrdtReplica<D> ready() {
        CrdtReplica<D> r = replica;
        if (r == null) throw new RpcError(RpcError.TEMPORARILY_UNAVAILABLE, "not initialized yet");
        return r;
    }
}
