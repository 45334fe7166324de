///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES ../../lib/*.java ../fixtures/linkv-store.java
//DESCRIPTION A deliberately broken lin-kv node: the leader is the lowest node one can reach, so each side of a partition has its own.

import lib.Node;

/**
 * The leader is the lowest-numbered node this one hears from, with no majority asked for;
 * every request is forwarded to it and applied there, and the leader pushes its map to the
 * others after each write. Without a partition that is n0 for everyone and linearizable;
 * under one, each side elects its own leader and goes on from its own copy: split brain.
 */
class LinKvSplitBrain {
    public static void main(String... args) {
        var node = new Node();
        var store = new LinKvStore();
        var peers = new LinKvStore.Peers(node);
        store.acceptReplicas(node);
        LinKvStore.serve(node, (src, request) -> {
            String leader = peers.reachable().getFirst();
            if (!leader.equals(node.id())) return LinKvStore.forward(node, leader, request);
            Object reply = store.apply(request);
            if (!(request instanceof LinKvStore.Read)) store.push(node);
            return reply;
        });
        node.run();
    }
}
