///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES lib/*.java
//DESCRIPTION Gossip Glomers 4, grow-only counter: stateless nodes, one seq-kv key per node, fenced reads.

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import lib.Cli;
import lib.KV;
import lib.Node;
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
 * plus delta, one request. It fails only if the key holds something else (after a
 * restart, or a cas that timed out but happened); the node then reads its key and tries
 * again. Adds on one node are serialised, so they never race each other. An add of 0
 * changes nothing and sends nothing.
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
 * {@code --max-staleness} ago, and otherwise runs a new one; this bounds how stale a read
 * can be (the counter is only required to be eventually consistent) and costs at most
 * one refresh per node per period however many reads arrive. The final reads come after
 * ten quiet seconds, long past that period, so each runs its own refresh after every add
 * completed: each sees the exact total. Partitions never matter here: they cut nodes
 * from each other, never from seq-kv, and nodes never talk to each other.
 */
@Command(name = "g-counter", mixinStandardHelpOptions = true,
        description = "Gossip Glomers 4, grow-only counter: stateless nodes, one seq-kv key per node, fenced reads.")
class GCounterNode implements Runnable {

    @Option(names = "--max-staleness", description = "Milliseconds a read may answer from an earlier refresh (default ${DEFAULT-VALUE}; 0: every read refreshes).")
    long maxStalenessMillis = 500;

    record Add(long delta) {}

    record AddOk() {}

    record Read() {}

    record ReadOk(long value) {}

    private Node node;
    private KV kv;
    /** The highest value seen of each node's key; values only grow, so taking the max keeps reads monotonic. */
    private final Map<String, Long> seen = new ConcurrentHashMap<>();
    private final Object addLock = new Object();
    /** What this node last wrote to its key, guarded by addLock. */
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
            add(request.body().delta());
            request.reply(new AddOk());
        });
        node.handle(Read.class, request -> request.reply(new ReadOk(read())));
        node.run();
    }

    private void add(long delta) {
        if (delta == 0) return;
        synchronized (addLock) {
            while (true) {
                try {
                    kv.cas(node.id(), mine, mine + delta, true); // creates the key on the first add
                    mine += delta;
                    break;
                } catch (RpcError e) {
                    if (e.code() != RpcError.PRECONDITION_FAILED) throw e; // a timeout: the add may have happened
                    // Only this node writes its key, and its own writes moved it past them: this read is exact.
                    mine = kv.read(node.id(), Long.class);
                }
            }
            seen.merge(node.id(), mine, Math::max);
        }
    }

    private long read() {
        synchronized (refreshLock) {
            long started = System.nanoTime();
            if (!refreshed || started - refreshedAt > maxStalenessMillis * 1_000_000) {
                kv.write("fence-" + node.id(), ThreadLocalRandom.current().nextLong());
                for (String n : node.nodeIds()) seen.merge(n, kv.read(n, Long.class, 0L), Math::max);
                refreshedAt = started;
                refreshed = true;
            }
        }
        return seen.values().stream().mapToLong(Long::longValue).sum();
    }
}
