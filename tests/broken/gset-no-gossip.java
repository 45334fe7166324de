///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES ../../lib/*.java
//DESCRIPTION A deliberately broken g-set node: keeps the elements it is given in memory and tells no other node.

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.List;
import lib.Node;

/**
 * A g-set with no replication at all, in memory: a read on one node misses every element
 * added on another, and a kill forgets what was acknowledged.
 */
class GSetNoGossip {

    record Add(JsonNode element) {}

    record AddOk() {}

    record Read() {}

    record ReadOk(List<JsonNode> value) {}

    public static void main(String... args) {
        var node = new Node();
        var set = new LinkedHashSet<JsonNode>();
        node.handleInOrder(Add.class, request -> {
            set.add(request.body().element());
            request.reply(new AddOk());
        });
        node.handleInOrder(Read.class, request -> request.reply(new ReadOk(List.copyOf(set))));
        node.run();
    }
}
