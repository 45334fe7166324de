package tests.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import lib.Crdt;
import lib.CrdtReplica;
import lib.CrdtReplica.Gossip;
import lib.CrdtReplica.Run;
import lib.Disk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CRDT replica of lib/ driven by hand, with the time given and messages held in a
 * pool that reorders, repeats and drops them: replicas converge to the join of every
 * update whatever the network does, send only what a peer has not confirmed, fall silent
 * when nothing changes, and come back from their journal.
 */
class CrdtReplicaTest {

    /** A grow-only set of numbers, one delta per added number. */
    record Numbers(Set<Long> values) {
        static Numbers union(Numbers a, Numbers b) {
            var all = new LinkedHashSet<>(a.values());
            all.addAll(b.values());
            return new Numbers(Collections.unmodifiableSet(all));
        }
    }

    /** An increment-decrement counter's running totals per origin. */
    record Totals(long up, long down) {
        static Totals max(Totals a, Totals b) {
            return new Totals(Math.max(a.up(), b.up()), Math.max(a.down(), b.down()));
        }
    }

    static final Crdt.Lattice<Numbers> SET = new Crdt.Lattice<>(Numbers.class, new Numbers(Set.of()), Numbers::union,
            Crdt.Deltas.INCREMENTAL);
    static final Crdt.Lattice<Totals> COUNTER = new Crdt.Lattice<>(Totals.class, new Totals(0, 0), Totals::max,
            Crdt.Deltas.CUMULATIVE);
    static final Crdt.Timing TIMING = new Crdt.Timing(Duration.ofMillis(200), Duration.ZERO);
    static final long MS = 1_000_000;

    @TempDir
    Path root;

    /** A message in flight. */
    record Message(String src, String dest, Gossip gossip) {}

    /** Replicas n0 (the hub) to n(N-1), the messages between them, and the time. */
    final class Cluster<D> {
        final Crdt.Lattice<D> lattice;
        final List<String> ids;
        final Map<String, CrdtReplica<D>> replicas = new HashMap<>();
        final List<Message> pool = new ArrayList<>();
        long now = 1_000 * MS;

        Cluster(Crdt.Lattice<D> lattice, int nodes) {
            this.lattice = lattice;
            this.ids = IntStream.range(0, nodes).mapToObj(i -> "n" + i).toList();
            ids.forEach(this::start);
        }

        /** Starts (or restarts) a node on its journal. */
        CrdtReplica<D> start(String id) {
            var journal = Disk.open(root, id).journal("crdt", Run.class);
            var replica = new CrdtReplica<>(lattice, TIMING, id, ids, journal,
                    (dest, gossip) -> pool.add(new Message(id, dest, gossip)), now);
            replicas.put(id, replica);
            return replica;
        }

        void update(String id, UnaryOperator<D> change) {
            replicas.get(id).update(change, now);
        }

        void deliver(Message m) {
            replicas.get(m.dest()).receive(m.src(), m.gossip(), now);
        }

        /** Delivers every message in flight, and those they cause, in order. */
        void deliverAll() {
            while (!pool.isEmpty()) deliver(pool.removeFirst());
        }

        void tick(long millis) {
            now += millis * MS;
            ids.forEach(id -> replicas.get(id).tick(now));
        }

        List<D> contributions(String id) {
            return replicas.get(id).contributions();
        }
    }

    static UnaryOperator<Numbers> adding(long value) {
        return own -> new Numbers(Set.of(value));
    }

    static UnaryOperator<Totals> counting(long delta) {
        return own -> delta >= 0 ? new Totals(own.up() + delta, own.down()) : new Totals(own.up(), own.down() - delta);
    }

    /**
     * Random updates on random nodes while the network delivers in random order, repeats a
     * third of the messages and drops a fifth; then a healed network: every replica ends
     * with every update, and, once converged, nothing more is sent.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void replicasConvergeWhateverOrderRepetitionAndLossAndThenFallSilent(long seed) {
        var random = new Random(seed);
        var sets = new Cluster<>(SET, 4);
        var counters = new Cluster<>(COUNTER, 4);
        var expectedSets = new ArrayList<Set<Long>>();
        var expectedTotals = new long[4];
        for (int i = 0; i < 4; i++) expectedSets.add(new LinkedHashSet<>());
        for (int step = 0; step < 300; step++) {
            int n = random.nextInt(4);
            if (random.nextInt(3) == 0) {
                long value = step;
                sets.update("n" + n, adding(value));
                expectedSets.get(n).add(value);
                long delta = random.nextInt(10) - 5;
                counters.update("n" + n, counting(delta));
                expectedTotals[n] += delta;
            }
            for (Cluster<?> c : List.of(sets, counters)) {
                for (int k = 0; k < 2 && !c.pool.isEmpty(); k++) {
                    Message m = c.pool.get(random.nextInt(c.pool.size()));
                    if (random.nextInt(3) != 0) c.pool.remove(m);
                    if (random.nextInt(5) != 0) c.deliver(m);
                }
                c.tick(random.nextInt(100));
            }
        }
        for (int t = 0; t < 200; t++) {
            sets.deliverAll();
            counters.deliverAll();
            sets.tick(50);
            counters.tick(50);
        }
        for (String id : sets.ids) {
            List<Numbers> held = sets.contributions(id);
            List<Totals> totals = counters.contributions(id);
            for (int o = 0; o < 4; o++) {
                assertEquals(expectedSets.get(o), held.get(o).values(), id + " holds origin n" + o + "'s elements");
                assertEquals(expectedTotals[o], totals.get(o).up() - totals.get(o).down(), id + " counts origin n" + o);
            }
        }
        for (int t = 0; t < 100; t++) {
            sets.tick(100);
            counters.tick(100);
        }
        assertEquals(List.of(), sets.pool, "converged sets send nothing");
        assertEquals(List.of(), counters.pool, "converged counters send nothing");
    }

    @Test
    void aLeafSendsEachUpdateOnceTheHubConfirmsItLaterAndNothingIsResent() {
        var c = new Cluster<>(SET, 2);
        c.update("n1", adding(7));
        Message first = c.pool.removeFirst();
        assertEquals("n0", first.dest(), "a leaf sends to the hub, at once with no leaf batch");
        assertEquals(List.of(new Run(1, 0, 1, numbers(7))), first.gossip().runs());
        c.deliver(first);
        assertEquals(List.of(), c.pool, "the hub has nothing for the leaf and owes its confirmation a while");
        c.update("n1", adding(8));
        Message second = c.pool.removeFirst();
        assertEquals(List.of(new Run(1, 1, 2, numbers(8))), second.gossip().runs(), "only what was not sent before");
        c.deliver(second);
        c.tick(TIMING.ackAfter().toMillis() - 100);
        assertEquals(List.of(), c.pool, "no bare confirmation before ackAfter");
        c.tick(200);
        assertEquals(1, c.pool.size(), "a bare confirmation after ackAfter: " + c.pool);
        Gossip ack = c.pool.getFirst().gossip();
        assertEquals(List.of(), ack.runs());
        assertEquals("[0, 2]", Arrays.toString(ack.known()));
        c.deliverAll();
        for (int t = 0; t < 50; t++) c.tick(200);
        assertEquals(List.of(), c.pool, "confirmed: never resent; nothing new: nothing sent");
        c.update("n1", adding(7));
        assertEquals(List.of(), c.pool, "an element held already changes nothing and sends nothing");
    }

    @Test
    void theHubRelaysAtMostOncePerBatchToTheLeavesThatLackSomething() {
        var c = new Cluster<>(SET, 3);
        c.update("n1", adding(1));
        c.deliverAll(); // n0 relays at once: it had not sent for a batch
        assertEquals(Set.of(1L), c.contributions("n2").get(1).values());
        c.update("n1", adding(2));
        c.update("n2", adding(3));
        var sent = List.copyOf(c.pool);
        c.pool.clear();
        sent.forEach(c::deliver);
        assertTrue(c.pool.isEmpty(), "within the hub's batch it sends nothing: " + c.pool);
        c.tick(TIMING.hubBatch().toMillis());
        assertEquals(2, c.pool.size(), "one relay to each leaf: " + c.pool);
        c.deliverAll();
        for (String id : c.ids) assertEquals(Set.of(1L, 2L), c.contributions(id).get(1).values(), id);
        for (String id : c.ids) assertEquals(Set.of(3L), c.contributions(id).get(2).values(), id);
    }

    @Test
    void aRunAfterALostOneIsAnsweredWithARequestThatBringsWhatWasLost() {
        var c = new Cluster<>(SET, 2);
        c.update("n1", adding(1));
        c.pool.clear(); // lost
        c.update("n1", adding(2));
        Message second = c.pool.removeFirst();
        assertEquals(1, second.gossip().runs().getFirst().from());
        c.deliver(second);
        Message request = c.pool.removeFirst();
        assertTrue(request.gossip().answerNow(), "the hub asks for what it missed: " + request);
        assertEquals(Set.of(), c.contributions("n0").get(1).values(), "a run beyond the prefix is not taken");
        c.deliver(request);
        Message answer = c.pool.removeFirst();
        assertFalse(answer.gossip().answerNow());
        assertEquals(0, answer.gossip().runs().getFirst().from(), "from what the hub confirmed");
        c.deliver(answer);
        assertEquals(Set.of(1L, 2L), c.contributions("n0").get(1).values());
    }

    @Test
    void whatThePeerDoesNotConfirmIsSentAgainAfterResendAfter() {
        var c = new Cluster<>(COUNTER, 2);
        c.update("n1", counting(5));
        c.pool.clear(); // lost to a partition
        c.tick(TIMING.resendAfter().toMillis() - 100);
        assertEquals(List.of(), c.pool);
        c.tick(200);
        Message resend = c.pool.removeFirst();
        assertTrue(resend.gossip().answerNow());
        assertEquals(List.of(new Run(1, 0, 1, totals(5, 0))), resend.gossip().runs(), "a cumulative run starts at 0");
        c.deliver(resend);
        assertEquals(1, c.pool.size(), "answered at once");
        c.deliverAll();
        for (int t = 0; t < 50; t++) c.tick(200);
        assertEquals(List.of(), c.pool);
        assertEquals(new Totals(5, 0), c.contributions("n0").get(1));
    }

    @Test
    void aRestartedNodeHoldsWhatItJournaledNumbersOnAndAsksItsPeersForWhatItLacks() {
        var c = new Cluster<>(SET, 2);
        c.update("n1", adding(1));
        c.update("n1", adding(2));
        c.deliverAll();
        c.update("n0", adding(10));
        c.deliverAll();
        assertEquals(Set.of(10L), c.contributions("n1").get(0).values());
        c.update("n0", adding(11)); // within the hub's batch: not sent yet when n1 is killed
        CrdtReplica<Numbers> restarted = c.start("n1");
        assertEquals(Set.of(1L, 2L), restarted.contributions().get(1).values(), "its own elements");
        assertEquals(Set.of(10L), restarted.contributions().get(0).values(), "and the hub's it took");
        c.tick(TIMING.hubBatch().toMillis());
        Message greeting = c.pool.stream().filter(m -> m.src().equals("n1")).findFirst().orElseThrow();
        assertTrue(greeting.gossip().answerNow(), "its first message asks for an answer at once");
        c.deliverAll();
        assertEquals(Set.of(10L, 11L), restarted.contributions().get(0).values());
        c.update("n1", adding(3));
        assertEquals(new Run(1, 2, 3, numbers(3)), c.pool.getLast().gossip().runs().getFirst(), "numbered after its last");
    }

    @Test
    void aRestartedCounterKeepsItsTotalsAndItsJournalShrinksToThem() {
        var c = new Cluster<>(COUNTER, 2);
        for (long delta : new long[] {3, -4, 5}) c.update("n1", counting(delta));
        c.pool.clear();
        CrdtReplica<Totals> restarted = c.start("n1");
        assertEquals(new Totals(8, 4), restarted.contributions().get(1));
        c.update("n1", counting(-1));
        assertEquals(List.of(new Run(1, 0, 4, totals(8, 5))), c.pool.getLast().gossip().runs(), "numbered on");
        assertEquals(2, Disk.open(root, "n1").journal("crdt", Run.class).records().size(),
                "the journal was rewritten as the state at the restart, one run, then the new one");
    }

    @Test
    void gossipThatDoesNotFitIsDroppedAndBreaksNothing() {
        var c = new Cluster<>(SET, 3);
        var replica = c.replicas.get("n1");
        replica.receive("n2", new Gossip(List.of(new Run(2, 0, 1, numbers(5))), new int[3], false), c.now); // not its peer
        replica.receive("n0", new Gossip(List.of(new Run(0, 0, 1, numbers(5))), new int[2], false), c.now);
        replica.receive("n0", new Gossip(List.of(new Run(7, 0, 1, numbers(5)), new Run(0, 0, 1,
                JsonNodeFactory.instance.textNode("not a set"))), new int[3], false), c.now);
        assertEquals(List.of(), c.pool);
        replica.receive("n0", new Gossip(List.of(new Run(0, 0, 1, numbers(5))), new int[] {1, 0, 0}, false), c.now);
        assertEquals(Set.of(5L), c.contributions("n1").get(0).values(), "and the next good one is taken");
    }

    static JsonNode numbers(long... values) {
        var node = JsonNodeFactory.instance.objectNode();
        var array = node.putArray("values");
        for (long v : values) array.add(v);
        return node;
    }

    static JsonNode totals(long up, long down) {
        return JsonNodeFactory.instance.objectNode().put("up", up).put("down", down);
    }
}
