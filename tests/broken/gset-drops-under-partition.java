///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES ../../lib/*.java
//DESCRIPTION A deliberately broken g-set node: tells every other node of an element once, never again, so a partition loses elements.

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import lib.Node;

/**
 * A g-set that replicates by one fire-and-forget message per element to every other
 * node: correct on a perfect network, but an element sent while a partition cuts a link
 * never crosses it.
 */
class GSetDropsUnderPartition {

    record Add(JsonNode element) {}

    record AddOk() {}

    record Added(JsonNode element) {}

    record Read() {}

    record ReadOk(Set<JsonNode> value) {}

    public static void main(String... args) {
        var node = new Node();
        Set<JsonNode> set = ConcurrentHashMap.newKeySet();
        node.handle(Add.class, request -> {
            set.add(request.body().element());
            node.peers().forEach(peer -> node.send(peer, new Added(request.body().element())));
            request.reply(new AddOk());
        });
        node.handle(Added.class, request -> set.add(request.body().element()));
        node.handle(Read.class, request -> request.reply(new ReadOk(Set.copyOf(set))));
        node.run();
    }
}
