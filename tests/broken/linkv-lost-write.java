///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES ../../lib/*.java ../fixtures/linkv-store.java
//DESCRIPTION A deliberately broken lin-kv node: the leader acknowledges writes before any other node has them.

import java.time.Duration;
import lib.Node;
import lib.RpcError;

/**
 * The leader is the lowest-numbered node among those this one hears from, and only while
 * they are a majority (so there is one leader at a time, and none on a minority side, which
 * answers error 11). Requests are forwarded to it and applied there; but it answers at once
 * and pushes its map to the others only once a second. When a partition cuts the leader off,
 * the majority side's new leader goes on from a copy without the last acknowledged writes:
 * they are lost.
 */
class LinKvLostWrite {
    public static void main(String... args) {
        var node = new Node();
        var store = new LinKvStore();
        var peers = new LinKvStore.Peers(node);
        store.acceptReplicas(node);
        node.every(Duration.ofSeconds(1), () -> {
            if (leader(node, peers).equals(node.id())) store.push(node);
        });
        LinKvStore.serve(node, (src, request) -> {
            String leader = leader(node, peers);
            if (leader == null) throw new RpcError(RpcError.TEMPORARILY_UNAVAILABLE, "no majority in reach");
            return leader.equals(node.id()) ? store.apply(request) : LinKvStore.forward(node, leader, request);
        });
        node.run();
    }

    /** The lowest node in reach when a majority is, else null. */
    static String leader(Node node, LinKvStore.Peers peers) {
        var reachable = peers.reachable();
        return reachable.size() * 2 > node.nodeIds().size() ? reachable.getFirst() : null;
    }
}
