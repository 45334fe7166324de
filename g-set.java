///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES lib/*.java
//DESCRIPTION Maelstrom g-set, the CRDT chapter: a grow-only set gossiped as acknowledged deltas through a batching hub, journaled.

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import lib.Cli;
import lib.Crdt;
import lib.Node;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Maelstrom's g-set workload (its guide, chapter 4): a grow-only set, as a state-based
 * CRDT. The state is a set of elements per origin node, and the set a read returns is
 * their union; join is set union, which is commutative, associative and idempotent, so
 * no order, delay or repetition of gossip can make two replicas disagree once they hold
 * the same deltas. Each add is a delta of one element, numbered by the node that took
 * it; the replication is {@link Crdt}'s ({@code lib/CrdtReplica.java} has the protocol):
 * n0 is a hub, every other node a leaf.
 *
 * <p>Latency and messages. A leaf sends each new element to the hub at once, a message
 * per add, since it takes too few (one a second at the chapter's load) for a batch to
 * pay; the hub relays what it took to every leaf lacking it at most once per
 * {@code --hub-batch} (T): a value reaches every node within T of its add plus a hop, and
 * a relay costs one message per leaf however many elements it carries. At the chapter's
 * load (five adds a second over five nodes) that is about four forwards and four relays
 * a second, under one message per operation at T = 1 s. Acknowledgements are the prefix
 * vectors every message carries, so they ride on that traffic; a node sends a bare one
 * only when it has sent its peer nothing for a batch and a second. An element already
 * here is acknowledged with nothing sent; nothing is sent while nothing changes.
 *
 * <p>Safety (Jepsen's set-full: every acknowledged element is in every read from some
 * point on, and no element once read is missing from a later read for good). An add is
 * acknowledged only after its element is in this node's journal, and every element a
 * replica holds, its own or a peer's, is journaled before it is visible to a read or
 * covered by a prefix sent to a peer: so a replica's set never shrinks, across kills
 * too, and what a peer confirmed it holds for good. What a peer has not confirmed is
 * sent again after a resend period, over any partition once it heals, and a gap (a
 * relay lost to a partition) is answered with a request for what is missing: every
 * element reaches the hub and from there every leaf. Within a resend period and a batch
 * of the heal, well inside the ten quiet seconds before Maelstrom's final reads, every
 * replica holds every acknowledged element. Availability is total: adds and reads are
 * answered from the local replica, partitioned or not.
 *
 * <p>Restarts: a restarted node reloads its journal, so it answers reads with at least
 * what it held and numbers its next element after its last; it sends each peer all it
 * holds, asking for an answer at once, which brings back what the peer holds and it
 * lacks (its journal has all it confirmed, so nothing the peer counts on is missing).
 */
@Command(name = "g-set", mixinStandardHelpOptions = true,
        description = "Maelstrom g-set, the CRDT chapter: a grow-only set gossiped as acknowledged deltas through a batching hub, journaled.")
class GSetNode implements Runnable {

    @Option(names = "--hub-batch", paramLabel = "MS",
            description = "Least milliseconds between the hub's relays to a leaf (default ${DEFAULT-VALUE}).")
    long hubBatch = 1000;

    record Add(JsonNode element) {}

    record AddOk() {}

    record Read() {}

    record ReadOk(Set<JsonNode> value) {}

    /** A delta: elements of one origin. */
    record Elements(Set<JsonNode> elements) {
        static Elements union(Elements a, Elements b) {
            var all = new LinkedHashSet<>(a.elements());
            all.addAll(b.elements());
            return new Elements(Collections.unmodifiableSet(all));
        }
    }

    public static void main(String... args) {
        Cli.run(new GSetNode(), args);
    }

    @Override
    public void run() {
        var node = new Node();
        var set = new Crdt<>(node, new Crdt.Lattice<>(Elements.class, new Elements(Set.of()), Elements::union,
                Crdt.Deltas.INCREMENTAL), new Crdt.Timing(Duration.ofMillis(hubBatch), Duration.ZERO));
        node.handleInOrder(Add.class, request -> {
            JsonNode element = request.body().element();
            // One held already is in the journal (every element is, before it is held): nothing to do.
            if (!union(set.contributions()).contains(element)) set.update(own -> new Elements(Set.of(element)));
            request.reply(new AddOk());
        });
        node.handleInOrder(Read.class, request -> request.reply(new ReadOk(union(set.contributions()))));
        node.run();
    }

    private static Set<JsonNode> union(List<Elements> contributions) {
        var all = new LinkedHashSet<JsonNode>();
        contributions.forEach(c -> all.addAll(c.elements()));
        return all;
    }
}
