///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES ../../lib/*.java
//DESCRIPTION A deliberately broken broadcast node: keeps what it is sent and never tells any other node.

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListSet;
import lib.Node;

/** Broadcast without gossip: a value is only ever read back on the node it was sent to. */
class BroadcastNoGossip {

    record Topology(Map<String, List<String>> topology) {}

    record TopologyOk() {}

    record Broadcast(long message) {}

    record BroadcastOk() {}

    record Read() {}

    record ReadOk(List<Long> messages) {}

    public static void main(String... args) {
        var node = new Node();
        var seen = new ConcurrentSkipListSet<Long>();
        node.handle(Topology.class, request -> request.reply(new TopologyOk()));
        node.handle(Broadcast.class, request -> {
            seen.add(request.body().message());
            request.reply(new BroadcastOk());
        });
        node.handle(Read.class, request -> request.reply(new ReadOk(List.copyOf(seen))));
        node.run();
    }
}
