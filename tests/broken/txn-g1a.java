///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES ../../lib/*.java ../fixtures/txn-store.java
//DESCRIPTION A deliberately broken txn node (registers or lists): aborts every third writing transaction without undoing its writes (G1a).

import java.util.concurrent.atomic.AtomicLong;
import lib.RpcError;

/**
 * Runs each transaction whole, then reports every third one that wrote as aborted
 * (error 30, txn-conflict: definite) while leaving its writes in place, so later
 * transactions read values of an aborted transaction.
 */
class TxnG1a {
    public static void main(String... args) {
        var writers = new AtomicLong();
        TxnStore.serve((txn, store) -> {
            var done = store.applyAll(txn);
            boolean writes = false;
            for (var mop : txn) writes |= TxnStore.writes(mop);
            if (writes && writers.incrementAndGet() % 3 == 0) throw new RpcError(RpcError.TXN_CONFLICT, "aborted");
            return done;
        });
    }
}
