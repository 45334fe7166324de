///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES lib/*.java
//DESCRIPTION Gossip Glomers 4, grow-only counter: each node's count in its journal (or its seq-kv key), counts gossiped between nodes.

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import lib.Cli;
import lib.Disk;
import lib.KV;
import lib.Node;
import lib.Request;
import lib.RpcError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Challenge 4. Each node keeps the sum of the adds it acknowledged, its count, where a
 * kill cannot take it; the total is the sum of every node's count. Each node knows every
 * node's count from gossip (a G-counter: a map from node to count, merged by taking the
 * larger), so a read costs no message, and a read after the quiet period is the total.
 *
 * <p>Where a count is kept ({@code --durable}). By default in a journal in the node's
 * {@link Disk} folder: an add appends the node's new count, one write call, and is
 * acknowledged; no add costs a message. With {@code durable=seqkv} the node is stateless,
 * as the challenge page asks, and its count is its key in seq-kv ("n1" for n1), which
 * only it writes, so adds never contend across nodes. An add is then a compare-and-set
 * of the key from the node's count to that plus the deltas of every add waiting (group
 * commit): one cas is in flight at a time, carried by the handler of an add that found
 * none; adds arriving meanwhile wait for the next, so adds cost at most one cas per
 * round trip and wait for at most two. Under Maelstrom's load every add then costs a
 * cas: its clients (one per node) each wait for their add, so few adds wait together,
 * and a cas held back to gather more slows every client alike. No node can do better
 * statelessly: an add acknowledged must be in seq-kv, and so cost a round trip, unless
 * it is on the node's disk. An add of 0 changes nothing and costs nothing.
 *
 * <p>Why a count stays exact with seq-kv: the key holds every acknowledged add, and
 * otherwise only adds of unknown outcome. An add is acknowledged only after a cas
 * carrying its delta succeeded. A cas fails only if the key holds something else (after
 * a restart, or a cas that timed out but happened); the node then reads its key and
 * tries again. No add is in the key twice: after a cas that failed with a precondition
 * (definite: it did not happen) its adds go into the next one, but after a cas that timed
 * out (it may have happened) its adds are answered with the timeout and never sent
 * again; the next cas, from the stale count, then fails and the read takes in whatever
 * did happen. An add joins a cas only while its client, who gives up after 5 s, has a KV
 * timeout left, so that the answer can reach it; one whose client has given up is
 * dropped unanswered, and was in no cas that can have happened. With the journal the
 * same holds more simply: an add is acknowledged after its count is appended, and is in
 * the count once.
 *
 * <p>Counts. Every count a node holds for node n is a value n's count took (in n's
 * journal or key), learned firsthand or by gossip. Counts only grow, so every count is
 * at most n's, and the larger of two is the newer. A read answers the sum of the counts,
 * at once: eventually consistent, as the challenge asks, never above the total of
 * acknowledged and unknown adds. The price of a read without a message: a read misses
 * the adds a partition keeps from its node until the heal (reads from seq-kv, which no
 * partition cuts, would see them, at a fenced refresh of several messages each), and
 * otherwise lags by about a gossip period.
 *
 * <p>Gossip. Every {@code --gossip-period} a node sends its whole map to each peer it
 * does not know to hold all of it; the peer merges it. What a node knows a peer holds is
 * the merge of the maps that peer sent it from its newest incarnation (a restart is a new
 * incarnation, named by its start on the wall clock; messages from an older one are
 * merged into the counts but tell nothing of what the peer holds now), and the peer
 * counts as holding nothing until a message from it names this node's own incarnation as
 * the one it knows: only then is what the peer holds of this node's sending, not of an
 * incarnation before a kill. A peer's map only grows within its incarnation, so what a
 * node knows a peer holds the peer does hold. A gossip that brings a node nothing new is
 * answered with the node's own map (an answer, which is not answered): its sender
 * believed the node lacked something, and the answer corrects that, so a node that has
 * nothing new soon stops sending. Partitions only delay gossip: what they drop is sent
 * again each period until the peer's own messages show it held.
 *
 * <p>Final reads: every node's last read after the quiet period equals the total. After
 * the heal there are no partitions and no new adds; the adds waiting at the end are
 * answered or dropped within their clients' 5 s (a last cas ends within the KV timeout),
 * and killed nodes have been restarted. Each node n then counts itself at least the sum
 * of the adds it acknowledged: its count rose before each acknowledgement, and a
 * restarted node starts from its journal, or, with seq-kv, reads its key at init until
 * that read succeeds (seq-kv is never cut off), which shows at least its last cas
 * before the kill, as seq-kv knows its clients by node id and never shows one a state
 * older than one it saw. Then gossip spreads the maps: a node that holds a count a peer
 * lacks keeps sending it each period, as the peer's messages show it lacking it or show
 * no knowledge of the node's incarnation, until a message from the peer shows it held,
 * and with no partition the first one sent gets through. Within a few gossip periods
 * every node holds, for every n, at least n's count: the sum of n's acknowledged adds.
 * And no count is above n's own, which holds n's acknowledged adds and otherwise only
 * adds of unknown outcome. So every final read lies within [acknowledged, acknowledged +
 * unknown], and all agree. The quiet period (10 s under Maelstrom) must outlast a
 * restart and a few gossip periods, a few seconds with the defaults.
 *
 * <p>Restarts. A node acknowledges an add only once it is where a kill cannot take it,
 * its journal or seq-kv. A restarted node starts from that count and the wall clock's
 * time as its incarnation, and learns the others from its peers: it sends each its map
 * each period until the peer's messages name its new incarnation, and the peer, now
 * knowing it holds little, sends it everything. With seq-kv its first cas goes from the
 * count it knows, fails if that is short, and reads the key as after any failed cas.
 * Adds in flight at the kill are of unknown outcome whichever way they went. The
 * incarnation order assumes the wall clock does not step back by more than the time a
 * restart takes.
 */
@Command(name = "g-counter", mixinStandardHelpOptions = true,
        description = "Gossip Glomers 4, grow-only counter: each node's count in its journal (or its seq-kv key), counts gossiped between nodes.")
class GCounterNode implements Runnable {

    @Option(names = "--durable", paramLabel = "WHERE",
            description = "Where a node keeps its count before it acknowledges an add: journal (default), a file "
                    + "of its own, at no message; seqkv, its key in seq-kv, a compare-and-set per add or group of "
                    + "adds: stateless, as the challenge page asks, at about one message per operation more.")
    Durable durable = Durable.JOURNAL;

    @Option(names = "--gossip-period", paramLabel = "MS",
            description = "Milliseconds between two gossips to a peer that lacks a count "
                    + "(default ${DEFAULT-VALUE}; shorter: fresher reads, more messages).")
    long gossipPeriodMillis = 1000;

    /** Where a node keeps its count: see the header. */
    enum Durable {
        /** A journal in the node's folder. */
        JOURNAL,
        /** The node's key in seq-kv. */
        SEQKV
    }

    /** A journal appended this many times is replaced by its last record. */
    static final int COMPACT_EVERY = 1024;

    /** Maelstrom's client gives up on a request after this; an answer later than that is wasted. */
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(5);

    record Add(long delta) {}

    record AddOk() {}

    record Read() {}

    record ReadOk(long value) {}

    /** A journal record: this node's count after an add. */
    record Added(long count) {}

    /**
     * A node's counts, from its incarnation {@code start}, which knows {@code yourStart}
     * as the receiver's (0 before any); an {@code answer} is sent to correct its
     * receiver's belief that the sender lacked something, and is not answered.
     */
    record Gossip(Map<String, Long> counts, long start, long yourStart, boolean answer) {}

    /** A client's request and when it arrived (System.nanoTime): an answer after the client gave up is dropped. */
    record Asked<T>(Request<T> request, long arrivedAt) {
        static <T> Asked<T> now(Request<T> request) {
            return new Asked<>(request, System.nanoTime());
        }

        /** Whether the client will still be waiting {@code wait} from now. */
        boolean waitsFor(Duration wait) {
            return arrivedAt + CLIENT_TIMEOUT.toNanos() - System.nanoTime() > wait.toNanos();
        }

        void reply(Object body) {
            if (waitsFor(Duration.ZERO)) request.reply(body);
        }

        void fail(RpcError error) {
            if (waitsFor(Duration.ZERO)) request.fail(error);
        }
    }

    /** The adds waiting for the next cas, and whether a handler is carrying them, under one lock. */
    static final class AddQueue {
        private final List<Asked<Add>> waiting = new ArrayList<>();
        private boolean carried;

        /** Queues an add; returns true if the caller is to carry the queue, as no one else is. */
        synchronized boolean offer(Asked<Add> add) {
            waiting.add(add);
            if (carried) return false;
            carried = true;
            return true;
        }

        /**
         * Takes every waiting add still worth a cas, dropping the rest, for the carrier;
         * when there is none, the carrier stops carrying.
         */
        synchronized List<Asked<Add>> take() {
            List<Asked<Add>> group = waiting.stream().filter(w -> w.waitsFor(KV.TIMEOUT)).toList();
            waiting.clear();
            if (group.isEmpty()) carried = false;
            return group;
        }
    }

    /** What this node knows one peer holds: see the header's Gossip paragraph. */
    static final class PeerView {
        private long start; // the peer's newest incarnation heard from; 0 before any
        private final Map<String, Long> holds = new HashMap<>();
        private boolean knowsMe; // that incarnation has named this node's own

        /** Takes in what {@code gossip} shows the peer holds, for this node of incarnation {@code myStart}. */
        synchronized void heard(Gossip gossip, long myStart) {
            if (gossip.start() < start) return;
            if (gossip.start() > start) {
                start = gossip.start();
                holds.clear();
                knowsMe = false;
            }
            gossip.counts().forEach((n, count) -> holds.merge(n, count, Math::max));
            knowsMe |= gossip.yourStart() == myStart;
        }

        /** Whether the peer may lack some of {@code counts}. */
        synchronized boolean lacks(Map<String, Long> counts) {
            return !knowsMe || counts.entrySet().stream().anyMatch(c -> c.getValue() > holds.getOrDefault(c.getKey(), 0L));
        }

        /** The peer's newest incarnation heard from, 0 before any. */
        synchronized long start() {
            return start;
        }
    }

    private Node node;
    private KV kv;
    /** This incarnation: see the header's Restarts paragraph. */
    private final long start = System.currentTimeMillis();
    /** Each node's count: the highest value of it this node has learned (see the header's Counts paragraph). */
    private final Map<String, Long> counts = new ConcurrentHashMap<>();
    private final Map<String, PeerView> views = new ConcurrentHashMap<>();
    /** With seq-kv, the adds waiting for a cas. */
    private final AddQueue adds = new AddQueue();
    private final Object journalLock = new Object();
    /** This node's journal and what it appended to it, with the default --durable; guarded by journalLock. */
    private Disk.Journal<Added> journal;
    private long appended;

    public static void main(String... args) {
        Cli.run(new GCounterNode(), args);
    }

    @Override
    public void run() {
        node = new Node();
        kv = KV.seq(node);
        node.onInit(() -> {
            node.peers().forEach(peer -> views.put(peer, new PeerView()));
            if (durable == Durable.SEQKV) {
                Thread.ofVirtual().start(this::readOwnKey);
            } else {
                synchronized (journalLock) {
                    journal = Disk.open(node).journal("count", Added.class);
                    journal.records().forEach(added -> raise(node.id(), added.count()));
                }
            }
        });
        node.every(Duration.ofMillis(gossipPeriodMillis), this::gossip);
        node.handle(Add.class, request -> {
            if (request.body().delta() < 0) {
                request.fail(new RpcError(RpcError.MALFORMED_REQUEST, "a grow-only counter takes no negative delta"));
            } else if (request.body().delta() == 0) {
                request.reply(new AddOk());
            } else if (durable == Durable.JOURNAL) {
                append(request.body().delta());
                request.reply(new AddOk());
            } else if (adds.offer(Asked.now(request))) {
                for (List<Asked<Add>> group; !(group = adds.take()).isEmpty(); ) commit(group);
            }
        });
        node.handleInOrder(Read.class, request ->
                request.reply(new ReadOk(counts.values().stream().mapToLong(Long::longValue).sum())));
        node.handleInOrder(Gossip.class, request -> receive(request.src(), request.body()));
        node.run();
    }

    /** Raises node {@code n}'s count to {@code count} if that is higher; returns whether it was. */
    private boolean raise(String n, long count) {
        var raised = new boolean[1];
        counts.compute(n, (key, old) -> {
            if (old != null && old >= count) return old;
            raised[0] = true;
            return count;
        });
        return raised[0];
    }

    /** With seq-kv, learns this node's count from its key, at start; retries until seq-kv answers (see the header's final reads). */
    private void readOwnKey() {
        while (true) {
            try {
                raise(node.id(), kv.read(node.id(), Long.class, 0L));
                return;
            } catch (RpcError e) {
                Node.log("reading my key: %s; again", e.getMessage());
                LockSupport.parkNanos(Duration.ofMillis(gossipPeriodMillis).toNanos());
            }
        }
    }

    /** Sends this node's counts to every peer that may lack some. */
    private void gossip() {
        Map<String, Long> snapshot = Map.copyOf(counts);
        for (String peer : node.peers()) {
            PeerView view = views.get(peer);
            if (view.lacks(snapshot)) node.send(peer, new Gossip(snapshot, start, view.start(), false));
        }
    }

    /** Merges a peer's counts; answers a gossip that brought nothing new (see the header's Gossip paragraph). */
    private void receive(String peer, Gossip gossip) {
        PeerView view = views.get(peer);
        if (view == null) return; // not from a peer: a client's or a stray message
        boolean news = false;
        for (var count : gossip.counts().entrySet()) {
            if (node.nodeIds().contains(count.getKey())) news |= raise(count.getKey(), count.getValue());
        }
        view.heard(gossip, start);
        if (!news && !gossip.answer()) node.send(peer, new Gossip(Map.copyOf(counts), start, view.start(), true));
    }

    /** Raises this node's count by {@code delta} in its journal; on disk, for a kill, when this returns. */
    private void append(long delta) {
        synchronized (journalLock) {
            // Gossip never raises this node's count past it: peers know only counts it journaled.
            long count = counts.getOrDefault(node.id(), 0L) + delta;
            journal.append(new Added(count));
            if (++appended % COMPACT_EVERY == 0) journal.replace(List.of(new Added(count)));
            raise(node.id(), count);
        }
    }

    /** Adds the group's deltas to this node's key in one cas, and answers each add still waited for; never throws. */
    private void commit(List<Asked<Add>> group) {
        String self = node.id();
        try {
            while (true) {
                long delta = group.stream().mapToLong(w -> w.request().body().delta()).sum();
                long from = counts.getOrDefault(self, 0L);
                try {
                    kv.cas(self, from, from + delta, true); // creates the key on the first add
                    raise(self, from + delta);
                    break;
                } catch (RpcError e) {
                    if (e.code() != RpcError.PRECONDITION_FAILED) throw e; // a timeout: the adds may have happened
                    // The failed cas showed the key past this count; this read is no older than that.
                    raise(self, kv.read(self, Long.class, 0L));
                    group = group.stream().filter(w -> w.waitsFor(KV.TIMEOUT)).toList(); // the cas did not happen: drop freely
                    if (group.isEmpty()) return;
                }
            }
            group.forEach(w -> w.reply(new AddOk()));
        } catch (Throwable e) { // an Error too: every add gets its answer, and the next group its cas
            RpcError error = e instanceof RpcError r ? r : new RpcError(RpcError.CRASH, "add failed: " + e);
            group.forEach(w -> w.fail(error));
        }
    }
}
