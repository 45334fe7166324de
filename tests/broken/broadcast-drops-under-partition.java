///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES ../../lib/*.java
//DESCRIPTION A deliberately broken broadcast node: tells every other node once, never again, so a partition loses values.

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListSet;
import lib.Node;

/**
 * Broadcast by a single fire-and-forget message to every other node: correct on a
 * perfect network, but a value sent while a partition cuts a link never crosses it.
 */
class BroadcastDropsUnderPartition {

    record Topology(Map<String, List<String>> topology) {}

    record TopologyOk() {}

    record Broadcast(long message) {}

    record BroadcastOk() {}

    record Gossip(long message) {}

    record Read() {}

    record ReadOk(List<Long> messages) {}

    public static void main(String... args) {
        var node = new Node();
        var seen = new ConcurrentSkipListSet<Long>();
        node.handle(Topology.class, request -> request.reply(new TopologyOk()));
        node.handle(Broadcast.class, request -> {
            long value = request.body().message();
            seen.add(value);
            for (String other : node.peers()) {
                node.send(other, new Gossip(value));
            }
            request.reply(new BroadcastOk());
        });
        node.handle(Gossip.class, request -> seen.add(request.body().message()));
        node.handle(Read.class, request -> request.reply(new ReadOk(List.copyOf(seen))));
        node.run();
    }
}
