///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES ../../lib/*.java txn-store.java
//DESCRIPTION Test fixture, not a solution: a correct single-node txn-rw-register store in memory.

/** A test fixture: every transaction runs whole under one lock, which is serializable on a single node. */
class TxnSimple {
    public static void main(String... args) {
        TxnStore.serve((txn, store) -> store.applyAll(txn));
    }
}
