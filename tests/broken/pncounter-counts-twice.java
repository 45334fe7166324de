///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES ../../lib/*.java
//DESCRIPTION A deliberately broken pn-counter node: sends each add to every other node twice, and every receiver counts every copy.

import java.util.concurrent.atomic.AtomicLong;
import lib.Node;

/**
 * A pn-counter replicated by operations rather than state: each add's delta goes to every
 * other node, and goes again (at-least-once delivery, as a retry would send it), and a
 * receiver adds every delta it gets, with nothing to tell a copy from a new add: every
 * redelivered add counts twice.
 */
class PnCounterCountsTwice {

    record Add(long delta) {}

    record AddOk() {}

    record Added(long delta) {}

    record Read() {}

    record ReadOk(long value) {}

    public static void main(String... args) {
        var node = new Node();
        var total = new AtomicLong();
        node.handle(Add.class, request -> {
            long delta = request.body().delta();
            total.addAndGet(delta);
            for (int copy = 0; copy < 2; copy++) node.peers().forEach(peer -> node.send(peer, new Added(delta)));
            request.reply(new AddOk());
        });
        node.handle(Added.class, request -> total.addAndGet(request.body().delta()));
        node.handle(Read.class, request -> request.reply(new ReadOk(total.get())));
        node.run();
    }
}
