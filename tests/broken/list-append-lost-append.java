///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES ../../lib/*.java ../fixtures/txn-store.java
//DESCRIPTION A deliberately broken txn-list-append node: appends by reading the list, waiting, and writing it back one longer, so concurrent appends lose each other (incompatible orders).

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * Runs micro-ops one at a time; an append reads the key's list, waits 2 ms, then stores
 * that list plus the element. Two appends to a key in that window each store their own
 * element after the same list, so one is lost: reads see [.. 1 2] and later [.. 1 3].
 */
class ListAppendLostAppend {
    public static void main(String... args) {
        var json = JsonNodeFactory.instance;
        TxnStore.serve((txn, store) -> {
            ArrayNode done = json.arrayNode();
            for (JsonNode mop : txn) {
                if (!mop.get(0).asText().equals("append")) {
                    done.add(store.apply(mop));
                    continue;
                }
                JsonNode before = store.apply(json.arrayNode().add("r").add(mop.get(1)).addNull()).get(2);
                Thread.sleep(2);
                ArrayNode after = json.arrayNode();
                if (before.isArray()) after.addAll((ArrayNode) before);
                store.apply(json.arrayNode().add("w").add(mop.get(1)).add(after.add(mop.get(2))));
                done.add(mop.deepCopy());
            }
            return done;
        });
    }
}
