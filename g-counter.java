///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES lib/*.java
//DESCRIPTION Gossip Glomers 4, grow-only counter: stateless nodes, one seq-kv key per node, fenced reads.

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import lib.Cli;
import lib.KV;
import lib.Node;
import lib.Request;
import lib.RpcError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Challenge 4. The counter lives in seq-kv, one key per node: key "n1" holds the sum of
 * the adds n1 acknowledged, and only n1 writes it, so adds never contend across nodes.
 * The total is the sum of every node's key. Nodes keep nothing that is not in seq-kv
 * (what they hold in memory is a cache, lost harmlessly).
 *
 * <p>Add: a compare-and-set of this node's key from the value it last wrote to that
 * plus the deltas of every add waiting (group commit), one request for all of them. One
 * cas is in flight at a time, carried by the handler of an add that found none; adds
 * arriving meanwhile wait for the next, so however slow seq-kv is, adds cost at most
 * one cas per round trip and wait for at most two. A cas fails only if the key holds
 * something else (after a restart, or a cas that timed out but happened); the node then
 * reads its key and tries again. An add of 0 changes nothing and sends nothing. An add
 * joins a cas only while its client, who gives up after 5 s, has a KV timeout left, so
 * that the answer can reach it; one whose client has given up is dropped unanswered.
 *
 * <p>Why the counter stays exact: every final read lies within [acknowledged adds,
 * acknowledged + unknown]. An add is acknowledged only after a cas carrying its delta
 * succeeded, so every acknowledged add is in the key. No add is in the key twice: after
 * a cas that failed with a precondition (definite: it did not happen) its adds go into
 * the next one, but after a cas that timed out (it may have happened) its adds are
 * answered with the timeout and never sent again; the next cas, from the stale value,
 * then fails and the read takes in whatever did happen. An add dropped at its deadline
 * was in no cas that can have happened. So the key holds every acknowledged add and
 * otherwise only adds whose clients saw a timeout or no answer: adds of unknown outcome.
 *
 * <p>Read, and why the final reads see the total. seq-kv may answer a read from any
 * state between the last one this client (this node) saw and the newest, so reading the
 * keys alone can miss adds acknowledged long ago. But a request that changes the store
 * always runs on the newest state and moves the client there (Maelstrom's
 * {@code service.clj}, {@code Sequential}). So a refresh first writes a fresh random value
 * to this node's fence key, then reads every node's key: each read then reflects at
 * least every add whose cas completed before the fence. The write must change the
 * value: seq-kv serves a write of the value already there, like a read, from any state.
 * A read is answered from the last refresh if that one started at most
 * {@code --max-staleness} before the read arrived, and otherwise runs a new one; this
 * bounds how stale a read can be (the counter is only required to be eventually
 * consistent), and as the reads that waited behind a refresh are all served by the next
 * one, it costs at most one refresh per node per period however many reads arrive and
 * however slow seq-kv is. The final reads come after ten quiet seconds, long past that
 * period, so each runs its own refresh after every add completed: each sees the exact
 * total. Partitions never matter here: they cut nodes from each other, never from
 * seq-kv, and nodes never talk to each other.
 *
 * <p>Restarts. Nothing is on disk: the state lives in seq-kv, which a kill does not
 * touch. A restarted node starts with its notion of its own key at 0, so its first cas
 * fails (the key holds its earlier adds) and it reads the key back, as after any failed
 * cas; that read is exact, as seq-kv knows its clients by node id, and a restarted node
 * keeps its id, so the read sees at least its own last cas. So no acknowledged add is
 * lost and none is counted twice: adds in flight at the kill are of unknown outcome
 * whichever way their cas went.
 */
@Command(name = "g-counter", mixinStandardHelpOptions = true,
        description = "Gossip Glomers 4, grow-only counter: stateless nodes, one seq-kv key per node, fenced reads.")
class GCounterNode implements Runnable {

    @Option(names = "--max-staleness", description = "Milliseconds a read may answer from an earlier refresh (default ${DEFAULT-VALUE}; 0: every read refreshes).")
    long maxStalenessMillis = 500;

    /** Maelstrom's client gives up on a request after this; an answer later than that is wasted. */
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(5);

    record Add(long delta) {}

    record AddOk() {}

    record Read() {}

    record ReadOk(long value) {}

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

    private Node node;
    private KV kv;
    /** The highest value seen of each node's key; values only grow, so taking the max keeps reads monotonic. */
    private final Map<String, Long> seen = new ConcurrentHashMap<>();
    private final AddQueue adds = new AddQueue();
    /** What this node last wrote to its key; only the carrier of the add queue touches it, handed on through its lock. */
    private long mine;
    private final Object refreshLock = new Object();
    /** When the last complete refresh started (System.nanoTime), guarded by refreshLock. */
    private long refreshedAt;
    private boolean refreshed;

    public static void main(String... args) {
        Cli.run(new GCounterNode(), args);
    }

    @Override
    public void run() {
        node = new Node();
        kv = KV.seq(node);
        node.handle(Add.class, request -> {
            if (request.body().delta() == 0) {
                request.reply(new AddOk());
            } else if (adds.offer(Asked.now(request))) {
                for (List<Asked<Add>> group; !(group = adds.take()).isEmpty(); ) commit(group);
            }
        });
        node.handle(Read.class, request -> {
            var read = Asked.now(request);
            try {
                read.reply(new ReadOk(total(read)));
            } catch (RpcError e) {
                read.fail(e);
            }
        });
        node.run();
    }

    /** Adds the group's deltas to this node's key in one cas, and answers each add still waited for; never throws. */
    private void commit(List<Asked<Add>> group) {
        try {
            while (true) {
                long delta = group.stream().mapToLong(w -> w.request().body().delta()).sum();
                try {
                    kv.cas(node.id(), mine, mine + delta, true); // creates the key on the first add
                    mine += delta;
                    break;
                } catch (RpcError e) {
                    if (e.code() != RpcError.PRECONDITION_FAILED) throw e; // a timeout: the adds may have happened
                    // Only this node writes its key, and its own writes moved it past them: this read is exact.
                    mine = kv.read(node.id(), Long.class);
                    group = group.stream().filter(w -> w.waitsFor(KV.TIMEOUT)).toList(); // the cas did not happen: drop freely
                    if (group.isEmpty()) return;
                }
            }
            seen.merge(node.id(), mine, Math::max);
            group.forEach(w -> w.reply(new AddOk()));
        } catch (Throwable e) { // an Error too: every add gets its answer, and the next group its cas
            RpcError error = e instanceof RpcError r ? r : new RpcError(RpcError.CRASH, "add failed: " + e);
            group.forEach(w -> w.fail(error));
        }
    }

    /** The total, from a refresh that started at most --max-staleness before the read arrived. */
    private long total(Asked<Read> read) {
        synchronized (refreshLock) {
            boolean stale = !refreshed || read.arrivedAt() - refreshedAt > maxStalenessMillis * 1_000_000;
            // A read whose client gave up while it waited for the lock is not worth a refresh.
            if (stale && read.waitsFor(Duration.ZERO)) {
                long started = System.nanoTime();
                kv.write("fence-" + node.id(), ThreadLocalRandom.current().nextLong());
                for (String n : node.nodeIds()) seen.merge(n, kv.read(n, Long.class, 0L), Math::max);
                refreshedAt = started;
                refreshed = true;
            }
        }
        return seen.values().stream().mapToLong(Long::longValue).sum();
    }
}
