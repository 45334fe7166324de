///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES ../../lib/*.java ../fixtures/linkv-store.java
//DESCRIPTION A deliberately broken lin-kv node: the leader acknowledges writes before any other node has them.

import java.time.Duration;
import lib.Node;
import lib.RpcError;

/**
 * The leader is the lowest-numbered node among those this one hears from, and only while
 * they are a majority (so there is one leader at a time). It serves its own clients; every
 * other node answers error 11 (not the leader), a definite failure, so no request ever has
 * an unknown outcome. But the leader answers at once and pushes its map to the others only
 * once a second. When a partition cuts the leader off, the majority side's new leader goes
 * on from a copy without the last acknowledged writes: they are lost (and when it heals,
 * the old leader takes over again from its own copy, losing the new one's).
 */
class LinKvLostWrite {
    public static void main(String... args) {
        var node = new Node();
        var store = new LinKvStore();
        var peers = new LinKvStore.Peers(node);
        store.acceptReplicas(node);
        node.every(Duration.ofSeconds(1), () -> {
            if (node.id().equals(leader(node, peers))) store.push(node);
        });
        LinKvStore.serve(node, (src, request) -> {
            if (!node.id().equals(leader(node, peers))) {
                throw new RpcError(RpcError.TEMPORARILY_UNAVAILABLE, "not the leader");
            }
            return store.apply(request);
        });
        node.run();
    }

    /** The lowest node in reach when a majority is, else null. */
    static String leader(Node node, LinKvStore.Peers peers) {
        var reachable = peers.reachable();
        return reachable.size() * 2 > node.nodeIds().size() ? reachable.getFirst() : null;
    }
}
