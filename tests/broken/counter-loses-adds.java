///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES ../../lib/*.java
//DESCRIPTION A deliberately broken g-counter node: acknowledges every third add without counting it.

import java.util.concurrent.atomic.AtomicLong;
import lib.KV;
import lib.Node;
import lib.RpcError;

/**
 * A counter kept in lin-kv, updated by compare-and-set, that drops every third add
 * after acknowledging it; the final reads come out short of the acknowledged total.
 */
class CounterLosesAdds {

    record Add(long delta) {}

    record AddOk() {}

    record Read() {}

    record ReadOk(long value) {}

    public static void main(String... args) {
        var node = new Node();
        var kv = KV.lin(node);
        var adds = new AtomicLong();
        node.handle(Add.class, request -> {
            if (adds.incrementAndGet() % 3 != 0) {
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
            }
            request.reply(new AddOk());
        });
        node.handle(Read.class, request -> request.reply(new ReadOk(kv.read("counter", Long.class, 0L))));
        node.run();
    }
}
