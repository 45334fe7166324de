///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES ../../lib/*.java
//DESCRIPTION Test fixture, not a solution: the in-memory register store the txn-* test nodes share.

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.HashMap;
import java.util.Map;
import lib.Node;

/**
 * A test fixture: one node's registers in memory, and a txn handler that runs each
 * transaction by a given execution. Executing a whole transaction under the store's
 * lock is correct on one node; the txn-* test nodes execute in broken ways.
 */
class TxnStore {

    record Txn(ArrayNode txn) {}

    record TxnOk(ArrayNode txn) {}

    /** How a transaction is executed against the store; returns it completed, or throws an RpcError. */
    interface Execution {
        ArrayNode run(ArrayNode txn, TxnStore store) throws InterruptedException;
    }

    private final Map<Long, JsonNode> registers = new HashMap<>();

    /** Runs one micro-op ["r", k, null] or ["w", k, v] and returns it completed. */
    synchronized ArrayNode apply(JsonNode mop) {
        long key = mop.get(1).asLong();
        if (mop.get(0).asText().equals("w")) {
            registers.put(key, mop.get(2));
            return (ArrayNode) mop.deepCopy();
        }
        return JsonNodeFactory.instance.arrayNode().add("r").add(key)
                .add(registers.getOrDefault(key, JsonNodeFactory.instance.nullNode()));
    }

    /** The whole transaction at once, under the store's lock: serializable. */
    synchronized ArrayNode applyAll(ArrayNode txn) {
        ArrayNode done = JsonNodeFactory.instance.arrayNode();
        txn.forEach(mop -> done.add(apply(mop)));
        return done;
    }

    /** Answers txn requests by {@code execution} until stdin ends. */
    static void serve(Execution execution) {
        var store = new TxnStore();
        var node = new Node();
        node.handle(Txn.class, r -> {
            try {
                r.reply(new TxnOk(execution.run(r.body().txn(), store)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        node.run();
    }
}
