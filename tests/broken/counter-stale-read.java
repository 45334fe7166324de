///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES ../../lib/*.java
//DESCRIPTION A deliberately broken g-counter node: counts correctly but answers reads from the first value it read.

import java.util.concurrent.atomic.AtomicReference;
import lib.KV;
import lib.Node;
import lib.RpcError;

/**
 * Adds are applied to a lin-kv counter by compare-and-set, correctly; reads answer the
 * value the node read the first time and never look again, so the final reads are stale.
 */
class CounterStaleRead {

    record Add(long delta) {}

    record AddOk() {}

    record Read() {}

    record ReadOk(long value) {}

    public static void main(String... args) {
        var node = new Node();
        var kv = KV.lin(node);
        var firstRead = new AtomicReference<Long>();
        node.handle(Add.class, request -> {
            while (true) {
                long current = kv.read("counter", Long.class, 0L);
                try {
                    kv.cas("counter", current, current + request.body().delta(), true);
                    break;
                } catch (RpcError e) {
                    if (e.code() != RpcError.PRECONDITION_FAILED && e.code() != RpcError.KEY_DOES_NOT_EXIST) {
                        throw e;
                    }
                }
            }
            request.reply(new AddOk());
        });
        node.handle(Read.class, request -> {
            firstRead.compareAndSet(null, kv.read("counter", Long.class, 0L));
            request.reply(new ReadOk(firstRead.get()));
        });
        node.run();
    }
}
