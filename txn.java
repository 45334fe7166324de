///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES lib/*.java
//DESCRIPTION Gossip Glomers 6a-6c: totally available read-committed transactions, replicated last-writer-wins.

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lib.Cli;
import lib.Disk;
import lib.Node;
import lib.OneInFlight;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Challenges 6a, 6b and 6c with one node program. Each node holds a full replica. A
 * transaction runs whole on the node that received it, under the replica's lock, so its
 * reads see its own earlier writes and nothing else sees it halfway. It is stamped with
 * a Lamport clock (counter, node id), and its last write to each key becomes a version
 * carrying that stamp. A replica keeps, per key, the version with the highest stamp:
 * applying versions is then idempotent and order-free, so every replica ends with the
 * same newest version of every key however batches are delayed, repeated or reordered.
 * Each node sends its own versions straight to every peer (nothing is forwarded), all
 * that is pending for a peer in one batch per tick, one batch in flight per peer, until
 * the peer acknowledges it: a partition costs one resend per ack timeout, and newer
 * versions of a key replace older ones still waiting, so a batch never grows beyond the
 * keys written since the last acknowledgement.
 *
 * <p>Why no anomaly can occur. The checker (Elle, given only writes-follow-reads, as
 * Maelstrom runs it) infers T1 wr→ T2 when T2 read the value T1 last wrote to a key, and
 * T1 ww→ T2 when T2 read T1's value of a key and then overwrote it; the initial nil,
 * which no transaction wrote, adds only anti-dependencies, which these models ignore.
 * Both edges need T2 to have seen T1's version, which it can only do after T1 ran and
 * its version reached T2's node; applying a version lifts the clock to its stamp, so
 * T2's stamp is above T1's. Every edge climbs the stamp order, so there is no cycle: no
 * G0, no G1c, and no cyclic version order either, since a version read and then
 * overwritten has the lower stamp and last-writer-wins agrees with every order the
 * checker infers. G1b needs a value its own transaction overwrote, but only a
 * transaction's last write per key outlives its lock or leaves the node. G1a needs a
 * failed transaction, and none fails: a node never waits for another, and concurrent
 * writers of a key are no conflict to refuse, just two versions the stamps order after
 * the fact. Read committed allows that lost update; it forbids reading uncommitted or
 * intermediate state and dependency cycles, which cannot happen here. Process order,
 * were it checked, would hold too: a client talks to one node, whose clock is past every
 * stamp it holds, so each transaction's writes outrank all its client saw before (its
 * reads see its own writes). Real-time order across nodes is what this does not give:
 * a read elsewhere is stale until the batch arrives, the price of total availability.
 *
 * <p>Restarts. Every version a node stores, its own transactions' and its peers', is
 * appended to a journal in its {@link Disk} folder for this test under the
 * replica's lock, before txn_ok or replicate_ok leaves: one write per transaction or
 * batch. A restarted node reloads the journal, keeps the newest version of each key
 * (and rewrites the journal as just those, so it stays the size of the store), sets its
 * clock to the highest stamp it holds, so its next stamps outrank every version it
 * holds, and makes every version of its own still in the store pending for every peer:
 * which of them the peers acknowledged was in memory, and sending one again is harmless.
 * So a write a read saw is never lost, and the stamp order every argument above rests
 * on holds across restarts.
 */
@Command(name = "txn", mixinStandardHelpOptions = true,
        description = "Gossip Glomers 6a-6c: totally available read-committed transactions, replicated last-writer-wins.")
class TxnNode implements Runnable {

    @Option(names = "--replicate-every",
            description = "Milliseconds between replication batches (default ${DEFAULT-VALUE}).")
    long replicateMillis = 100;

    @Option(names = "--ack-timeout",
            description = "Milliseconds to await an acknowledgement before resending (default ${DEFAULT-VALUE}).")
    long ackTimeoutMillis = 1000;

    /** A micro-op, on the wire as {@code ["r", key, value]} or {@code ["w", key, value]}. */
    sealed interface Mop {
        JsonNode key();

        @JsonCreator
        static Mop of(List<JsonNode> op) {
            if (op.size() != 3) throw new IllegalArgumentException("a micro-op is [f, key, value], not " + op);
            return switch (op.get(0).asText()) {
                case "r" -> new Read(op.get(1), NullNode.getInstance());
                case "w" -> new Write(op.get(1), op.get(2));
                default -> throw new IllegalArgumentException("unknown micro-op " + op);
            };
        }
    }

    record Read(JsonNode key, JsonNode value) implements Mop {
        @JsonValue
        List<Object> json() {
            return Arrays.asList("r", key, value);
        }
    }

    record Write(JsonNode key, JsonNode value) implements Mop {
        @JsonValue
        List<Object> json() {
            return Arrays.asList("w", key, value);
        }
    }

    record Txn(List<Mop> txn) {}

    record TxnOk(List<Mop> txn) {}

    /** A key's value as written by the transaction stamped (clock, node). */
    record Version(JsonNode key, JsonNode value, long clock, String node) {
        static final Comparator<Version> STAMP_ORDER =
                Comparator.comparingLong(Version::clock).thenComparing(Version::node);

        boolean newerThan(Version other) {
            return STAMP_ORDER.compare(this, other) > 0;
        }
    }

    record Replicate(List<Version> versions) {}

    record ReplicateOk() {}

    /** The store, the Lamport clock and each peer's versions not yet acknowledged, under one lock. */
    static final class Replica {
        private final Map<JsonNode, Version> store = new HashMap<>();
        private final Map<String, Map<JsonNode, Version>> unacked = new HashMap<>();
        private long clock;
        /** Every version stored, opened at init before any message is handled. */
        private Disk.Journal<Version> journal;

        /** Opens the journal in {@code disk} and takes in what a previous start of this node left there. */
        synchronized void restore(Disk disk, String self, List<String> peers) {
            journal = disk.journal("versions", Version.class);
            if (journal.records().isEmpty()) return;
            for (Version v : journal.records()) {
                clock = Math.max(clock, v.clock());
                store.merge(v.key(), v, (held, got) -> got.newerThan(held) ? got : held);
            }
            journal.replace(List.copyOf(store.values()));
            for (Version v : store.values()) {
                if (v.node().equals(self)) {
                    for (String peer : peers) unacked.computeIfAbsent(peer, p -> new HashMap<>()).put(v.key(), v);
                }
            }
        }

        synchronized List<Mop> execute(List<Mop> txn, String self, List<String> peers) {
            long stamp = ++clock;
            var written = new LinkedHashMap<JsonNode, Version>();
            var done = new ArrayList<Mop>(txn.size());
            for (Mop mop : txn) {
                switch (mop) {
                    case Read r -> {
                        Version v = store.get(r.key());
                        done.add(new Read(r.key(), v == null ? NullNode.getInstance() : v.value()));
                    }
                    case Write w -> {
                        // Newer than anything held (the clock is past every stamp), so it always lands.
                        var v = new Version(w.key(), w.value(), stamp, self);
                        store.put(w.key(), v);
                        written.put(w.key(), v); // a later write to the key replaces it: only the last is sent
                        done.add(w);
                    }
                }
            }
            journal.append(List.copyOf(written.values())); // before txn_ok, and before any peer can be sent them
            for (String peer : peers) unacked.computeIfAbsent(peer, p -> new HashMap<>()).putAll(written);
            return done;
        }

        /** Takes in a peer's versions, those newer than held on disk first. */
        synchronized void apply(List<Version> versions) {
            var newer = new LinkedHashMap<JsonNode, Version>();
            for (Version v : versions) {
                Version held = newer.getOrDefault(v.key(), store.get(v.key()));
                if (held == null || v.newerThan(held)) newer.put(v.key(), v);
            }
            journal.append(List.copyOf(newer.values()));
            for (Version v : versions) clock = Math.max(clock, v.clock());
            store.putAll(newer);
        }

        synchronized List<Version> pendingFor(String peer) {
            return List.copyOf(unacked.getOrDefault(peer, Map.of()).values());
        }

        /** Forgets what {@code peer} acknowledged, unless a newer version of the key has replaced it since. */
        synchronized void acknowledged(String peer, List<Version> versions) {
            Map<JsonNode, Version> pending = unacked.get(peer);
            for (Version v : versions) pending.remove(v.key(), v);
        }
    }

    public static void main(String... args) {
        Cli.run(new TxnNode(), args);
    }

    @Override
    public void run() {
        var node = new Node();
        var replica = new Replica();
        var replication = new OneInFlight();
        node.onInit(() -> replica.restore(Disk.open(node), node.id(), node.peers()));

        node.handle(Txn.class, request ->
                request.reply(new TxnOk(replica.execute(request.body().txn(), node.id(), node.peers()))));
        node.handle(Replicate.class, request -> {
            replica.apply(request.body().versions());
            request.reply(new ReplicateOk());
        });
        // One batch in flight per peer: a partitioned peer costs one message per ack timeout.
        node.every(Duration.ofMillis(replicateMillis), () -> replication.sendEach(node.peers(), peer -> {
            List<Version> batch = replica.pendingFor(peer);
            if (batch.isEmpty()) return null;
            return node.rpc(peer, new Replicate(batch), ReplicateOk.class, Duration.ofMillis(ackTimeoutMillis))
                    .whenComplete((ok, error) -> {
                        if (error == null) replica.acknowledged(peer, batch);
                    });
        }));
        node.run();
    }
}
