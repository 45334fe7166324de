///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES ../../lib/*.java ../fixtures/txn-store.java
//DESCRIPTION A deliberately broken txn node: publishes a transaction's writes, waits, then reads (G1c).

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * Applies every write of a transaction first, visible at once, waits 10 ms, then does
 * its reads: two concurrent transactions that each write what the other reads see each
 * other's writes, a cycle of write-read dependencies.
 */
class TxnG1c {
    public static void main(String... args) {
        TxnStore.serve((txn, store) -> {
            var done = new ArrayNode[txn.size()];
            for (int i = 0; i < txn.size(); i++) {
                if (txn.get(i).get(0).asText().equals("w")) done[i] = store.apply(txn.get(i));
            }
            Thread.sleep(10);
            var result = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < txn.size(); i++) result.add(done[i] != null ? done[i] : store.apply(txn.get(i)));
            return result;
        });
    }
}
