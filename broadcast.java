///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES lib/*.java
//DESCRIPTION Gossip Glomers 3a-3e, broadcast: a hub with batched fan-out or every node to every other, and resends driven by per-origin prefix vectors.

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import lib.Cli;
import lib.Disk;
import lib.Node;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Challenge 3, all parts. The given topology is ignored. By default ({@code --fan-out
 * hub}) n0 is the {@link Hub} and every other node a {@link Leaf}: a leaf forwards each
 * client value to the hub at once, and every {@code --hub-batch} ms (T) the hub sends
 * each leaf what it lacks, so a value takes two hops and a fan-out costs one message per
 * leaf however many values it carries. With {@code --fan-out direct} every node is
 * {@link Direct}: it sends each client value to every other node at once, one hop for
 * 24 messages per broadcast.
 *
 * <p>Latency. Maelstrom hands a node its messages one at a time in order of when they
 * are due, and waits for the first one's time even when a client's request comes
 * meanwhile; this node handles them in that order too. So a read that reaches a node
 * while a message carrying a value is on its way is answered after that message, unless
 * a message sent earlier is still on its way too: a value counts as on a node from the
 * moment it is sent there, if nothing sent before it is in flight. Hence the settings:
 * <ul>
 * <li>{@code fan-out=direct} (low latency): a value is sent to every node before its
 * broadcast is answered, so no read invoked later misses it once 100 ms (one hop) have
 * passed, and one invoked sooner misses it only if its node has another message in
 * flight, sent earlier: so the maximum stays under one hop and the median well below.
 * Messages: 24 per broadcast, half the operations being broadcasts, plus each peer's
 * confirmation at the end of the load. Its checks are a few seconds apart (set with
 * {@code resend-after}): a peer's own values carry its confirmations, and they come
 * often enough that such a check finds nothing due while the load lasts.
 * <li>the default, T = 100 ms, as long as a hop: a leaf never has two fan-outs in
 * flight, so a value is on every node once the hub has it (a hop) and its next fan-out
 * is sent (a wait of up to T), about 100 + T/2 at the median and 100 + T at most, plus
 * the hub's own delays. A shorter T leaves the previous fan-out in flight when the
 * next is sent, which gains nothing on the maximum (two hops either way) and costs
 * more messages.
 * Messages: a forward per broadcast and at most 24 fan-outs per T, fewer as a fan-out
 * skips leaves that lack nothing.
 * <li>{@code hub-batch=400} and {@code hub-batch=1000} (the fewest messages): the same
 * with a longer wait, for a quarter and a tenth of the fan-outs.
 * </ul>
 *
 * <p>Recovery spends next to no messages unless something was lost. Each node numbers
 * its clients' values, and every message carries the sender's known prefix per origin (how
 * many of that node's values, from its first on, it holds): that is the
 * acknowledgement. Per peer a node keeps what it sent and what the peer confirmed (a
 * {@link Link}: between hub and leaf it carries every origin's values, between any other
 * two nodes only the sender's own); every {@code --resend-after} ms, whatever it sent
 * before the previous check and is still unconfirmed is due again, and goes as its role
 * sends. Confirmations ride on traffic that flows anyway: a fan-out confirms the leaf's
 * forwards, a forward the fan-outs, a direct node's values its peers'. A message that
 * brings its receiver a value it held already is a resend from a peer that lacks our
 * confirmation, and is answered at once with our prefix (and whatever of what the link
 * carries that peer is not known to have). So a healthy run resends only to peers that were idle for a
 * whole check, inside fan-outs that go anyway, and each such peer confirms with one
 * message. What a partition kept from a node follows within two checks (and a fan-out)
 * of the heal. State is the values (per origin, and once as a set for reads) and a few
 * counters per peer: it grows with the values alone.
 *
 * <p>A cut-off hub. A leaf whose resend the hub has left unanswered for a whole check
 * (the hub answers one at once when it can) takes the hub for cut off, or down: until a
 * check finds nothing due to it again, the leaf sends its own values to every other
 * node itself, as a direct node does, starting with all of its own it ever took. So
 * values keep flowing among the nodes that can reach each other; a leaf that still
 * reaches the hub forwards what it got that way with its own, and a leaf answering such
 * a resend sends its own values back. In a healthy run no leaf ever waits a whole
 * check for the hub, so these links stay silent.
 *
 * <p>Restarts. Every value a node takes, a client's or a peer's, is appended to its
 * journal in its {@link Disk} folder for this test in the same step that
 * stores it, one write per message, before the node answers broadcast_ok or tells any
 * peer its prefix covers it. So whatever a peer saw confirmed survives a kill: a
 * restarted node reloads its values, numbers its clients' next values after its own
 * last, and starts with every link at nothing sent. It then sends each peer it sends to,
 * once, all it holds, and the peer's answer (values it held already) brings back the
 * peer's prefix; what was sent to it while it was down is unconfirmed and comes again
 * at the senders' next check. A run without kills writes the journal and sends nothing
 * more.
 */
@Command(name = "broadcast", mixinStandardHelpOptions = true,
        description = "Gossip Glomers 3a-3e, broadcast: a hub with batched fan-out or every node to every other, and resends driven by per-origin prefix vectors.")
class BroadcastNode implements Runnable {

    @Option(names = "--hub-batch", paramLabel = "MS",
            description = "Milliseconds the hub gathers values between fan-outs (default ${DEFAULT-VALUE}; "
                    + "1000 sends under one message per operation at 3d's load).")
    long hubBatch = 100;

    @Option(names = "--fan-out", paramLabel = "HOW",
            description = "Who sends a client's value to the other nodes: hub (default), the hub in its batches; "
                    + "direct, the node that took it, to every other node at once.")
    FanOut fanOut = FanOut.HUB;

    @Option(names = "--resend-after", paramLabel = "MS",
            description = "Milliseconds a value may stay unconfirmed by the peer it was sent to before it is sent "
                    + "again (default ${DEFAULT-VALUE}; with fan-out=direct, 2000 or more: see the script's header).")
    long resendAfter = 1000;

    /** Who sends a client's value to the other nodes. */
    enum FanOut {
        /** Its node forwards it to the hub, n0, whose batched fan-outs carry it to every other node. */
        HUB,
        /** Its node sends it to every other node at once. */
        DIRECT
    }

    /** The given topology, unread: ours is fixed, a hub and leaves, or every node linked to every other. */
    record Topology() {}

    record TopologyOk() {}

    record Broadcast(long message) {}

    record BroadcastOk() {}

    record Read() {}

    record ReadOk(List<Long> messages) {}

    /** Values of one origin node, numbered by that node from {@code from} on. */
    record Run(int origin, int from, List<Long> values) {}

    /**
     * Values the receiver may lack, and the sender's known prefix per origin: how many
     * values of each origin, counted from the first, it has. The prefix is the
     * acknowledgement: what it covers is never sent to that node again.
     */
    record Gossip(List<Run> runs, int[] known) {}

    /**
     * What this node knows of one peer. A relay link, between the hub and a leaf, carries
     * every origin's values; a direct link only this node's own. Guarded by the node's
     * lock, as all state is.
     */
    private final class Link {
        final String peer;
        final boolean relays;
        /** Per origin: values below this were sent to the peer, or need not be. */
        final int[] sent;
        /** Per origin: the peer's own known prefix, as it last told us. */
        final int[] confirmed;
        /** {@code sent} at the last check: by the next, the peer should have confirmed it. */
        int[] due;
        /** Checks in a row that found something sent before the one before still unconfirmed. */
        int unansweredChecks;

        Link(String peer, boolean relays) {
            this.peer = peer;
            this.relays = relays;
            this.sent = new int[known.length];
            this.confirmed = new int[known.length];
            this.due = new int[known.length];
        }

        boolean carries(int origin) {
            return relays || origin == me;
        }

        /** Takes in the peer's prefix: what it has needs no sending. */
        void confirm(int[] known) {
            for (int o = 0; o < sent.length; o++) {
                confirmed[o] = Math.max(confirmed[o], known[o]);
                sent[o] = Math.max(sent[o], confirmed[o]);
            }
        }

        /** Makes whatever was sent before the last check and is still unconfirmed due again. */
        void rewind() {
            int[] handedOut = sent.clone();
            boolean resending = false;
            for (int o = 0; o < sent.length; o++) {
                if (carries(o) && confirmed[o] < due[o]) {
                    sent[o] = confirmed[o];
                    resending = true;
                }
            }
            due = handedOut;
            unansweredChecks = resending ? unansweredChecks + 1 : 0;
        }

        /** Whether the last check found something due again: it goes with this check's sending. */
        boolean resending() {
            return unansweredChecks > 0;
        }

        /** Whether a resend went unanswered for a whole check: the peer is cut off from us, or down. */
        boolean cutOff() {
            return unansweredChecks > 1;
        }
    }

    /**
     * What the hub, a leaf and a direct node do differently: how they link to their
     * peers, and when they send. The rest, what a node stores, sends a peer, confirms and
     * makes due again, is the same for all.
     */
    private sealed interface Role {
        /** Whether the link to {@code peer} carries every origin's values. */
        boolean relays(String peer);

        /** Registers the periodic tasks this role sends from. */
        void schedule();

        /** A client's value, new to this node, has just been taken. */
        void taken();
    }

    /**
     * The hub, n0, relaying for every leaf. It gathers values, its own clients' and the
     * leaves', and every {@code --hub-batch} ms sends each leaf what it lacks: a fan-out
     * carries new values and resends alike, so a resend costs no message of its own.
     */
    private final class Hub implements Role {
        @Override
        public boolean relays(String peer) {
            return true;
        }

        @Override
        public void schedule() {
            node.every(Duration.ofMillis(hubBatch), BroadcastNode.this::flushAll);
            node.every(Duration.ofMillis(resendAfter), BroadcastNode.this::rewind); // the next fan-out resends
        }

        @Override
        public void taken() {
            // the next fan-out carries it
        }
    }

    /**
     * A leaf, every node but n0 under {@code --fan-out hub}. It forwards each client value
     * to the hub at once, and its resends at each check. Batching here would not pay: a
     * leaf gets two values a second, so its batches would mostly hold one. While the hub
     * leaves a resend unanswered, the leaf sends its own values to every other node
     * itself, as a direct node does, until the hub confirms again.
     */
    private final class Leaf implements Role {
        @Override
        public boolean relays(String peer) {
            return peer.equals(hub);
        }

        @Override
        public void schedule() {
            node.every(Duration.ofMillis(resendAfter), () -> {
                rewind();
                flushWhere(link -> link.relays || hubCutOff() || link.resending());
            });
        }

        @Override
        public void taken() {
            flushWhere(link -> link.relays || hubCutOff());
        }

        private boolean hubCutOff() {
            return links.get(hub).cutOff();
        }
    }

    /**
     * A node under {@code --fan-out direct}, linked to every other directly. It sends each
     * client value to every other node at once, so values take one hop, and resends at
     * each check; the others' own values, which carry their confirmations, come often
     * enough that a check of a few seconds finds nothing due.
     */
    private final class Direct implements Role {
        @Override
        public boolean relays(String peer) {
            return false;
        }

        @Override
        public void schedule() {
            node.every(Duration.ofMillis(resendAfter), () -> {
                rewind();
                flushAll();
            });
        }

        @Override
        public void taken() {
            flushAll();
        }
    }

    private final Node node = new Node();
    // Set at init, before any message is handled or any periodic task runs.
    private Role role;
    private int me;
    private String hub;
    private final Map<String, Link> links = new LinkedHashMap<>();
    /** Every run of values that brought this node something new, in the order taken. */
    private Disk.Journal<Run> journal;
    // The state, guarded by this.
    /** Per origin, its values by number; null where one has not arrived yet. */
    private final List<List<Long>> log = new ArrayList<>();
    /** Per origin, how many of its values from the first on are all here. */
    private int[] known;
    /** Every value once, in arrival order: what a read returns. */
    private final Set<Long> values = new LinkedHashSet<>();

    public static void main(String... args) {
        Cli.run(new BroadcastNode(), args);
    }

    @Override
    public void run() {
        node.onInit(this::init);
        // In order, as the network delivered them: a read sees every value delivered before it.
        node.handle(Topology.class, request -> request.reply(new TopologyOk()));
        node.handleInOrder(Read.class, request -> request.reply(new ReadOk(read())));
        node.handleInOrder(Broadcast.class, request -> {
            if (add(request.body().message())) role.taken(); // before the answer: the client's wait covers the sending
            request.reply(new BroadcastOk());
        });
        node.handleInOrder(Gossip.class, request -> receive(request.src(), request.body()));
        node.run();
    }

    /**
     * Under {@code --fan-out hub} the first node is the hub and every other a leaf; a
     * restarted node reloads what it took before.
     */
    private synchronized void init() {
        List<String> ids = node.nodeIds();
        me = ids.indexOf(node.id());
        hub = ids.get(0);
        role = fanOut == FanOut.DIRECT ? new Direct() : me == 0 ? new Hub() : new Leaf();
        known = new int[ids.size()];
        ids.forEach(id -> log.add(new ArrayList<>()));
        journal = Disk.open(node).journal("values", Run.class);
        journal.records().forEach(this::store);
        for (String id : node.peers()) links.put(id, new Link(id, role.relays(id)));
        role.schedule();
    }

    private synchronized List<Long> read() {
        return List.copyOf(values);
    }

    /** Takes a client's value as this node's next; returns false for one already known. */
    private synchronized boolean add(long value) {
        if (values.contains(value)) return false;
        journal.append(new Run(me, known[me], List.of(value))); // before it is stored, acknowledged or confirmed
        values.add(value);
        log.get(me).add(value);
        known[me]++;
        return true;
    }

    private void receive(String src, Gossip gossip) {
        Link link;
        int carried = 0;
        int fresh = 0;
        synchronized (this) {
            link = links.get(src);
            if (link == null) return; // not one of our peers: nothing to store from or confirm to
            var taken = new ArrayList<Run>();
            for (Run run : gossip.runs()) {
                carried += run.values().size();
                int added = store(run);
                if (added > 0) taken.add(run);
                fresh += added;
            }
            journal.append(taken); // under the lock: no prefix covering them leaves before they are on disk
            link.confirm(gossip.known());
        }
        // A value held already: the sender is resending because it lacks our confirmation.
        if (fresh < carried) flush(link, true);
    }

    /** Stores a run's values where they belong; returns how many were new (none from a run that fits no origin). */
    private int store(Run run) {
        if (run.origin() < 0 || run.origin() >= known.length || run.from() < 0) return 0;
        List<Long> entries = log.get(run.origin());
        int fresh = 0;
        for (int i = 0; i < run.values().size(); i++) {
            int seq = run.from() + i;
            while (entries.size() <= seq) entries.add(null);
            if (entries.get(seq) == null) {
                entries.set(seq, run.values().get(i));
                values.add(run.values().get(i));
                fresh++;
            }
        }
        int prefix = known[run.origin()];
        while (prefix < entries.size() && entries.get(prefix) != null) prefix++;
        known[run.origin()] = prefix;
        return fresh;
    }

    private void flushAll() {
        flushWhere(link -> true);
    }

    /** Sends what they are not known to have to the peers whose links pass {@code which}, judged under the lock. */
    private void flushWhere(Predicate<Link> which) {
        List<Link> chosen;
        synchronized (this) {
            chosen = links.values().stream().filter(which).toList();
        }
        chosen.forEach(link -> flush(link, false));
    }

    /** Sends the peer what it is not known to have, if anything; when {@code always}, our prefix regardless. */
    private void flush(Link link, boolean always) {
        Gossip gossip;
        synchronized (this) {
            List<Run> runs = new ArrayList<>();
            for (int o = 0; o < known.length; o++) {
                if (link.carries(o) && known[o] > link.sent[o]) {
                    runs.add(new Run(o, link.sent[o], List.copyOf(log.get(o).subList(link.sent[o], known[o]))));
                    link.sent[o] = known[o];
                }
            }
            if (runs.isEmpty() && !always) return;
            gossip = new Gossip(runs, known.clone());
        }
        node.send(link.peer, gossip);
    }

    /** Makes due again whatever peers have left unconfirmed for a whole check period. */
    private synchronized void rewind() {
        links.values().forEach(Link::rewind);
    }
}
