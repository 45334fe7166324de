///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES ../../lib/*.java
//DESCRIPTION A deliberately broken g-counter node: a correct counter for one node, kept only in memory.

import java.util.concurrent.atomic.AtomicLong;
import lib.Node;

/**
 * A lone node's counter in memory: correct while the node lives, but a kill takes every
 * add it acknowledged, so after a restart the final reads come out short.
 */
class CounterInMemory {

    record Add(long delta) {}

    record AddOk() {}

    record Read() {}

    record ReadOk(long value) {}

    public static void main(String... args) {
        var node = new Node();
        var count = new AtomicLong();
        node.handleInOrder(Add.class, request -> {
            count.addAndGet(request.body().delta());
            request.reply(new AddOk());
        });
        node.handleInOrder(Read.class, request -> request.reply(new ReadOk(count.get())));
        node.run();
    }
}
