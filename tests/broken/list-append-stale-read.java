///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES ../../lib/*.java ../fixtures/txn-store.java
//DESCRIPTION A deliberately broken txn-list-append node: serves read-only transactions from a copy of the store up to 100 ms old (serializable, not strict serializable).

import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs every transaction that appends whole under the store's lock, and every read-only
 * one whole against a copy of the store taken at most 100 ms before. Each copy is a
 * committed state, so the reads serialize at the copy's moment: serializable. But a read
 * that begins after an append completed can miss it, which realtime order forbids.
 */
class ListAppendStaleRead {

    /** A copy of the store and when it was taken (System.nanoTime). */
    record Copy(TxnStore store, long takenAt) {}

    static final long MAX_AGE_NANOS = 100_000_000;

    public static void main(String... args) {
        var copy = new AtomicReference<>(new Copy(new TxnStore(), System.nanoTime()));
        TxnStore.serve((txn, store) -> {
            boolean writes = false;
            for (var mop : txn) writes |= TxnStore.writes(mop);
            if (writes) return store.applyAll(txn);
            Copy now = copy.get();
            if (System.nanoTime() - now.takenAt() > MAX_AGE_NANOS) {
                copy.compareAndSet(now, new Copy(store.copy(), System.nanoTime()));
                now = copy.get();
            }
            return now.store().applyAll(txn);
        });
    }
}
