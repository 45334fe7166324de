///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES lib/*.java
//DESCRIPTION Maelstrom pn-counter, the CRDT chapter: increments and decrements as per-node running totals, gossiped through a batching hub, journaled.

import java.time.Duration;
import lib.Cli;
import lib.Crdt;
import lib.Node;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Maelstrom's pn-counter workload (its guide, chapter 4): a counter that goes up and
 * down, as a state-based CRDT. Each node keeps, per origin node, two running totals:
 * what that node's clients added ({@code up}) and what they took away ({@code down}),
 * both only growing, and only the origin changes its own. Join is the maximum of each
 * total, per origin: commutative, associative and idempotent, so no order, delay or
 * repetition of gossip changes what replicas converge to. The value is the sum over
 * origins of up minus down. (One total per origin, as in a g-counter, would lose
 * decrements: the maximum of 2 and 2 - 5 is 2.) The replication is {@link Crdt}'s
 * ({@code lib/CrdtReplica.java} has the protocol): n0 is a hub, every other node a leaf,
 * and a node's running totals are cumulative deltas, so a message carries at most one
 * pair of numbers per origin, whatever it stands for.
 *
 * <p>Messages. The chapter asks for eventual consistency only: every final read, after
 * ten quiet seconds, must be the total. So every node batches: a leaf sends its totals
 * to the hub, and the hub every origin's newer totals to each leaf lacking them, each at
 * most once per {@code --batch} (T), and only when they changed; acknowledgements ride on
 * that traffic. About 8/T messages a second for five nodes whatever the load. An add
 * of 0 changes nothing and sends nothing.
 *
 * <p>Safety (every final read is the sum of the acknowledged adds plus some of those of
 * unknown outcome). An add is acknowledged only once the totals it made are in this
 * node's journal, and totals taken from peers are journaled before they are visible or
 * confirmed: so no total a node ever counted or confirmed shrinks, across kills too, and
 * each add counts once, in its origin's total, however often that total travels (the
 * maximum of a total with itself is itself). A restarted node reloads its totals and
 * adds to them. What a peer has not confirmed is sent again after a resend period,
 * over any partition once it heals, so within a resend period and a batch (about
 * 2T + 2 s) of the heal every node holds every origin's last totals: the quiet period
 * must be longer than that, as Maelstrom's ten seconds are for the default T. Adds whose
 * reply was lost to a kill may or may not be counted, which the checker allows.
 * Availability is total: adds and reads are answered from the local replica.
 */
@Command(name = "pn-counter", mixinStandardHelpOptions = true,
        description = "Maelstrom pn-counter, the CRDT chapter: increments and decrements as per-node running totals, gossiped through a batching hub, journaled.")
class PnCounterNode implements Runnable {

    @Option(names = "--batch", paramLabel = "MS",
            description = "Least milliseconds between a node's sends (default ${DEFAULT-VALUE}; the quiet period must "
                    + "exceed twice this plus 2 s).")
    long batch = 2500;

    record Add(long delta) {}

    record AddOk() {}

    record Read() {}

    record ReadOk(long value) {}

    /** An origin's running totals of increments and decrements: the delta, and the state per origin. */
    record Totals(long up, long down) {
        static Totals max(Totals a, Totals b) {
            return new Totals(Math.max(a.up(), b.up()), Math.max(a.down(), b.down()));
        }

        Totals plus(long delta) {
            return delta >= 0 ? new Totals(up + delta, down) : new Totals(up, down - delta);
        }
    }

    public static void main(String... args) {
        Cli.run(new PnCounterNode(), args);
    }

    @Override
    public void run() {
        var node = new Node();
        var period = Duration.ofMillis(batch);
        var counter = new Crdt<>(node, new Crdt.Lattice<>(Totals.class, new Totals(0, 0), Totals::max,
                Crdt.Deltas.CUMULATIVE), new Crdt.Timing(period, period));
        node.handleInOrder(Add.class, request -> {
            long delta = request.body().delta();
            counter.update(own -> own.plus(delta));
            request.reply(new AddOk());
        });
        node.handleInOrder(Read.class, request -> request.reply(new ReadOk(
                counter.contributions().stream().mapToLong(t -> t.up() - t.down()).sum())));
        node.run();
    }
}
