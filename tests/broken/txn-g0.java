///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES ../../lib/*.java ../fixtures/txn-store.java
//DESCRIPTION A deliberately broken txn node: pairs up transactions so that each overwrites a value the other wrote (G0).

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Holds each transaction up to 50 ms for a partner: A and B match when A reads key x
 * then writes it while B writes x, and B reads another key y then writes it while A
 * writes y. The pair then runs as if interleaved: A reads B's x and overwrites it, B
 * reads A's y and overwrites it, so each write of one precedes a write of the other, a
 * write cycle. Unmatched transactions run whole, correctly.
 */
class TxnG0 {

    /** A transaction waiting for a partner, and where its completed form goes. */
    record Waiting(ArrayNode txn, CompletableFuture<ArrayNode> done) {}

    static final List<Waiting> waiting = new ArrayList<>();

    public static void main(String... args) {
        TxnStore.serve((txn, store) -> {
            var self = new Waiting(txn, new CompletableFuture<>());
            synchronized (store) {
                for (Waiting other : waiting) {
                    JsonNode[] keys = match(other.txn(), txn);
                    if (keys != null) {
                        waiting.remove(other);
                        other.done().complete(runPair(other.txn(), txn, keys[0], keys[1], store, self.done()));
                        return self.done().join();
                    }
                }
                waiting.add(self);
            }
            try {
                return self.done().get(50, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                synchronized (store) {
                    if (waiting.remove(self)) return store.applyAll(txn);
                }
                return self.done().join();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * Keys x and y, different, such that {@code a} reads x then writes it and {@code b}
     * writes x, while {@code b} reads y then writes it and {@code a} writes y; or null.
     */
    static JsonNode[] match(ArrayNode a, ArrayNode b) {
        for (JsonNode x : readThenWritten(a)) {
            if (!finalWrites(b).containsKey(x)) continue;
            for (JsonNode y : readThenWritten(b)) {
                if (!y.equals(x) && finalWrites(a).containsKey(y)) return new JsonNode[] {x, y};
            }
        }
        return null;
    }

    /** Keys whose first micro-op is a read and which the transaction later writes. */
    static List<JsonNode> readThenWritten(ArrayNode txn) {
        var first = new LinkedHashMap<JsonNode, String>();
        txn.forEach(mop -> first.putIfAbsent(mop.get(1), mop.get(0).asText()));
        return finalWrites(txn).keySet().stream().filter(k -> first.get(k).equals("r")).toList();
    }

    static Map<JsonNode, JsonNode> finalWrites(ArrayNode txn) {
        var writes = new LinkedHashMap<JsonNode, JsonNode>();
        txn.forEach(mop -> {
            if (mop.get(0).asText().equals("w")) writes.put(mop.get(1), mop.get(2));
        });
        return writes;
    }

    /**
     * Runs A and B as a pair: A's first read of x returns B's final write of x, B's first
     * read of y returns A's final write of y; every other read sees the store (or the
     * transaction's own earlier write). The store ends with A's x and B's y, the
     * overwriting writes; other keys get A's writes, then B's.
     */
    static ArrayNode runPair(ArrayNode a, ArrayNode b, JsonNode x, JsonNode y, TxnStore store,
                             CompletableFuture<ArrayNode> bDone) {
        ArrayNode aDone = complete(a, x, finalWrites(b).get(x), store);
        bDone.complete(complete(b, y, finalWrites(a).get(y), store));
        var last = new HashMap<JsonNode, JsonNode>(finalWrites(a));
        finalWrites(b).forEach((k, v) -> {
            if (!k.equals(x)) last.put(k, v);
        });
        last.put(y, finalWrites(b).get(y));
        last.forEach((k, v) -> store.apply(JsonNodeFactory.instance.arrayNode().add("w").add(k).add(v)));
        return aDone;
    }

    /** The transaction with its reads filled in: {@code key}'s first read sees {@code value}. */
    static ArrayNode complete(ArrayNode txn, JsonNode key, JsonNode value, TxnStore store) {
        var own = new HashMap<JsonNode, JsonNode>();
        ArrayNode done = JsonNodeFactory.instance.arrayNode();
        for (JsonNode mop : txn) {
            JsonNode k = mop.get(1);
            if (mop.get(0).asText().equals("w")) {
                own.put(k, mop.get(2));
                done.add(mop.deepCopy());
            } else if (own.containsKey(k)) {
                done.addArray().add("r").add(k).add(own.get(k));
            } else if (k.equals(key)) {
                done.addArray().add("r").add(k).add(value);
            } else {
                done.add(store.apply(mop));
            }
        }
        return done;
    }
}
