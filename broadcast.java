///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES lib/*.java
//DESCRIPTION Gossip Glomers 3a-3e, broadcast: a hub with batched fan-out, and resends driven by per-origin prefix vectors.

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import lib.Cli;
import lib.Disk;
import lib.Node;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Challenge 3, all parts. The given topology is ignored: n0 is the {@link Hub} and
 * every other node a {@link Leaf} linked to it alone, so a value takes two hops (leaf,
 * hub, leaves) and a fan-out costs one message per leaf however many values it carries.
 * A leaf forwards each client value to the hub at once, and every {@code --hub-batch}
 * ms (T) the hub sends each leaf what it lacks. At 3d's load (50 broadcasts a second on
 * 25 nodes) that is 0.48 forwards plus at most 24 x 1000/T / 100 fan-out messages per
 * operation: 4.5 at the default T = 60 (fewer, as a fan-out skips leaves that lack
 * nothing), and 0.72 with T = 1000, the low-message setting. A value is on every node
 * 100 ms + a wait of up to T + 100 ms after its broadcast; reads come 50 times a
 * second, so the last read to miss it (where Maelstrom's stable latency ends) comes
 * just before that: a little under 200 + T/2 ms at the median, 200 + T at most, so
 * about 215 and 260 ms by default and 700 ms and 1.2 s with T = 1000. Recovery spends
 * messages only when something was lost. Each node numbers its clients' values, and
 * every message carries the sender's known prefix per origin (how many of that node's
 * values, from its first on, it holds): that is the acknowledgement. Per peer a node
 * keeps what it sent and what the peer confirmed; every {@code --resend-after} ms,
 * whatever it sent before the previous check and is still unconfirmed is due again, and
 * goes as its role sends (see {@link Hub} and {@link Leaf}). Confirmations ride on
 * traffic that flows anyway: a fan-out confirms the leaf's forwards, a forward the
 * fan-outs. A message that brings its receiver a value it held already is a resend
 * from a peer that lacks our confirmation, and is answered at once with our prefix
 * (and whatever that peer is not known to have). So a healthy run resends only to
 * leaves whose clients were idle for a whole check, inside fan-outs that go anyway, and
 * each such leaf confirms with one message; an idle leaf, whose confirmations no
 * forward carries, is resent at most two checks' worth of values rather than all it
 * ever got, and costs a message per check only while values keep coming. What a
 * partition kept from a node follows within two checks, a fan-out and two hops of the
 * heal (3.2 s at most with T = 1000), long before the final reads. State is the values
 * (per origin, and once as a set for reads) and a few counters per peer: it grows with
 * the values alone.
 *
 * <p>Restarts. Every value a node takes, a client's or a peer's, is appended to its
 * journal in its {@link Disk} folder (removed with the run) in the same step that
 * stores it, one write per message, before the node answers broadcast_ok or tells any
 * peer its prefix covers it. So whatever a peer saw confirmed survives a kill: a
 * restarted node reloads its values, numbers its clients' next values after its own
 * last, and starts with every link at nothing sent. It then sends each peer, once, all
 * it holds, and the peer's answer (values it held already) brings back the peer's
 * prefix; what was sent to it while it was down is unconfirmed and comes again at the
 * senders' next check. A run without kills writes the journal and sends nothing more.
 */
@Command(name = "broadcast", mixinStandardHelpOptions = true,
        description = "Gossip Glomers 3a-3e, broadcast: a hub with batched fan-out, and resends driven by per-origin prefix vectors.")
class BroadcastNode implements Runnable {

    @Option(names = "--hub-batch", paramLabel = "MS",
            description = "Milliseconds the hub gathers values between fan-outs (default ${DEFAULT-VALUE}; "
                    + "1000 sends under one message per operation at 3d's load).")
    long hubBatch = 60;

    @Option(names = "--resend-after", paramLabel = "MS",
            description = "Milliseconds a value may stay unconfirmed by the peer it was sent to before it is sent "
                    + "again (default ${DEFAULT-VALUE}).")
    long resendAfter = 1000;

    /** The given topology, unread: ours is fixed, a hub and leaves. */
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

    /** What this node knows of one peer. Guarded by the node's lock, as all state is. */
    private static final class Link {
        final String peer;
        /** Per origin: values below this were sent to the peer, or need not be. */
        final int[] sent;
        /** Per origin: the peer's own known prefix, as it last told us. */
        final int[] confirmed;
        /** {@code sent} at the last check: by the next, the peer should have confirmed it. */
        int[] due;

        Link(String peer, int origins) {
            this.peer = peer;
            this.sent = new int[origins];
            this.confirmed = new int[origins];
            this.due = new int[origins];
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
            for (int o = 0; o < sent.length; o++) {
                if (confirmed[o] < due[o]) sent[o] = confirmed[o];
            }
            due = handedOut;
        }
    }

    /**
     * What the hub and a leaf do differently: whom they link to, and when they send.
     * The rest, what a node stores, sends a peer, confirms and makes due again, is the
     * same for both.
     */
    private sealed interface Role {
        /** Of every node's id, the peers this node gossips with. */
        List<String> linked(List<String> ids);

        /** Registers the periodic tasks this role sends from. */
        void schedule();

        /** A client's value, new to this node, has just been taken. */
        void taken();
    }

    /**
     * The hub, n0, linked to every leaf. It gathers values, its own clients' and the
     * leaves', and every {@code --hub-batch} ms sends each leaf what it lacks: a fan-out
     * carries new values and resends alike, so a resend costs no message of its own.
     */
    private final class Hub implements Role {
        @Override
        public List<String> linked(List<String> ids) {
            return ids.subList(1, ids.size());
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
     * A leaf, every node but n0, linked to the hub alone. It forwards each client value
     * to the hub at once, and its resends at each check. Batching here would not pay: a
     * leaf gets two values a second, so its batches would mostly hold one.
     */
    private final class Leaf implements Role {
        @Override
        public List<String> linked(List<String> ids) {
            return ids.subList(0, 1);
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
        node.handle(Topology.class, request -> request.reply(new TopologyOk()));
        node.handle(Read.class, request -> request.reply(new ReadOk(read())));
        node.handle(Broadcast.class, request -> {
            boolean fresh = add(request.body().message());
            request.reply(new BroadcastOk());
            if (fresh) role.taken();
        });
        node.handle(Gossip.class, request -> receive(request.src(), request.body()));
        node.run();
    }

    /** The first node is the hub, every other a leaf; a restarted node reloads what it took before. */
    private synchronized void init() {
        List<String> ids = node.nodeIds();
        me = ids.indexOf(node.id());
        role = me == 0 ? new Hub() : new Leaf();
        known = new int[ids.size()];
        ids.forEach(id -> log.add(new ArrayList<>()));
        journal = Disk.open(node.id()).journal("values", Run.class);
        journal.records().forEach(this::store);
        for (String id : role.linked(ids)) links.put(id, new Link(id, ids.size()));
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
        links.values().forEach(link -> flush(link, false));
    }

    /** Sends the peer what it is not known to have, if anything; when {@code always}, our prefix regardless. */
    private void flush(Link link, boolean always) {
        Gossip gossip;
        synchronized (this) {
            List<Run> runs = new ArrayList<>();
            for (int o = 0; o < known.length; o++) {
                if (known[o] > link.sent[o]) {
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
