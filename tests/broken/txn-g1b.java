///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES ../../lib/*.java ../fixtures/txn-store.java
//DESCRIPTION A deliberately broken txn node (registers or lists): publishes writes one by one and lingers after one that the transaction writes over later (G1b).

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * Runs micro-ops one at a time, each visible at once; after a write that the same
 * transaction overwrites later it waits 20 ms, so others read the intermediate value.
 */
class TxnG1b {
    public static void main(String... args) {
        TxnStore.serve((txn, store) -> {
            var done = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < txn.size(); i++) {
                var mop = txn.get(i);
                done.add(store.apply(mop));
                if (!TxnStore.writes(mop)) continue;
                for (int j = i + 1; j < txn.size(); j++) {
                    if (TxnStore.writes(txn.get(j)) && txn.get(j).get(1).equals(mop.get(1))) {
                        Thread.sleep(20);
                        break;
                    }
                }
            }
            return done;
        });
    }
}
