///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES ../../lib/*.java
//DESCRIPTION A deliberately broken pn-counter node: one running total per node merged by maximum, as a g-counter, so decrements are lost.

import java.time.Duration;
import lib.Crdt;
import lib.Node;

/**
 * The first counter of Maelstrom's CRDT chapter run on the pn-counter workload: a
 * g-counter, one running total per origin node, merged by taking the larger. A decrement
 * lowers its origin's total, and the maximum of the total before and after is the total
 * before: it is lost at once, here and everywhere.
 */
class PnCounterLosesDecrements {

    record Add(long delta) {}

    record AddOk() {}

    record Read() {}

    record ReadOk(long value) {}

    record Total(long value) {}

    public static void main(String... args) {
        var node = new Node();
        var period = Duration.ofMillis(500);
        var counter = new Crdt<>(node, new Crdt.Lattice<>(Total.class, new Total(0),
                (a, b) -> a.value() >= b.value() ? a : b, Crdt.Deltas.CUMULATIVE), new Crdt.Timing(period, period));
        node.handleInOrder(Add.class, request -> {
            counter.update(own -> new Total(own.value() + request.body().delta()));
            request.reply(new AddOk());
        });
        node.handleInOrder(Read.class, request -> request.reply(new ReadOk(
                counter.contributions().stream().mapToLong(Total::value).sum())));
        node.run();
    }
}
