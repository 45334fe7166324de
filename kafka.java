///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES lib/*.java
//DESCRIPTION Gossip Glomers 5a-5c, kafka-style log: one owner per key, replicas for polls, commits kept where they land.

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import lib.Cli;
import lib.Disk;
import lib.Node;
import lib.OneInFlight;
import lib.Request;
import lib.RpcError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Challenges 5a, 5b and 5c with one node program, and no key-value service.
 *
 * <p>Offsets. Each key has one owner, picked by a hash of the key over the node ids that
 * every node computes alike. Only the owner appends to a key's log (see Restarts), under a
 * lock: offsets are 0, 1, 2, ... in the order sends reach it, so no two messages share
 * an offset and a client's later send gets a higher one. A send that reaches another
 * node is forwarded to the owner; forwards wait {@code --batch} ms so that the sends
 * arriving meanwhile travel to the owner together, in one request and one reply.
 *
 * <p>Polls. The owner copies each log to every other node in the background, from where
 * that node last confirmed it held the log to the end, and a replica only ever appends
 * the part that continues what it holds. So every node holds each log as the same
 * prefix of the owner's: offsets agree across nodes, and a poll, answered by the node
 * that received it from what it holds, returns contiguous messages and skips nothing.
 * A replica may lag the owner by a batch; the workload allows that (there is no recency
 * requirement), and as copies are retried until confirmed, every acknowledged message
 * reaches every node once the network lets it: the final polls, ten quiet seconds
 * later, see all of them.
 *
 * <p>Committed offsets. A commit is kept by the node that received it, as the highest
 * offset committed per key, which never decreases. A list asks every other node not
 * known to be silent for its highest, keeps what they report as its own (a max, so a
 * node's map only grows) and answers from its own: it reflects every commit acknowledged
 * before it began on the nodes that answered. A peer that does not answer in time is
 * left out rather than failing the list, and this is safe: every offset a list reports
 * was committed by a client, so committed offsets may lag, never run ahead. A consumer
 * that assigns itself a key polls it from the reported offset; a lag makes it read again
 * messages it had read, which the workload allows, while an offset ahead of every commit
 * could make it skip some, which it does not. And a node's lists never go back, as its
 * map only grows. What this gives up: a list cut off from the node that took a commit
 * misses it, and may then report less than an earlier list that reached that node (the
 * bench warns of it; Jepsen does not check it). Commits are frequent and lists rare,
 * hence this way round.
 *
 * <p>Messages between nodes, then: a request and a reply per batch of forwarded sends,
 * and per peer per {@code --replicate-every} period that brought new messages, and per
 * peer per list. Polls, however many keys and owners they span, and commits cost none;
 * nothing uses a key-value service.
 *
 * <p>Partitions. Nothing here trades correctness for availability: a forward that
 * cannot reach its owner fails (as a timeout, since the owner may have appended it, and
 * is never retried, which could append a message twice), while sends to keys this node
 * owns, polls, commits and lists go on. Once a request to a peer has timed out, sends
 * for the keys it owns fail at once, unsent, and lists leave it out unasked, rather than
 * each holding its client for a timeout, until the peer answers one of the copies,
 * which go on being sent to it, empty if need be.
 *
 * <p>Restarts. Every append, to a log this node owns or to a copy, and every commit
 * that raises an offset, goes to a journal in the node's {@link Disk} folder for this
 * test before the memory that answers from it changes: one write per send,
 * forward batch, copy or commit, made before send_ok, forward_ok, replicate_ok or
 * commit_offsets_ok leaves. A restarted node reloads both: an owner goes on numbering
 * each log after its last offset, so offsets stay unique and monotonic, and holds every
 * copy it confirmed, so no owner's notion of what it holds runs ahead of it. With its
 * peers' confirmations forgotten, it copies its own logs whole to each peer once (a
 * replica keeps only what continues what it holds), and learns their lengths back.
 */
@Command(name = "kafka", mixinStandardHelpOptions = true,
        description = "Gossip Glomers 5a-5c, kafka-style log: one owner per key, replicas for polls, commits kept where they land.")
class KafkaNode implements Runnable {

    @Option(names = "--batch", description = "Milliseconds a forward waits to gather other sends for the same owner (default ${DEFAULT-VALUE}).")
    long batchMillis = 5;

    @Option(names = "--replicate-every", description = "Milliseconds between copies of new messages to the other nodes (default ${DEFAULT-VALUE}).")
    long replicateMillis = 50;

    @Option(names = "--timeout", description = "Milliseconds to wait for another node before giving up, well under the clients' 5 s (default ${DEFAULT-VALUE}).")
    long timeoutMillis = 2000;

    record Send(String key, JsonNode msg) {}

    record SendOk(long offset) {}

    record Poll(Map<String, Long> offsets) {}

    record PollOk(Map<String, List<List<Object>>> msgs) {}

    record CommitOffsets(Map<String, Long> offsets) {}

    record CommitOffsetsOk() {}

    record ListCommittedOffsets(List<String> keys) {}

    record ListCommittedOffsetsOk(Map<String, Long> offsets) {}

    /** Sends for keys the receiver owns, gathered by another node. */
    record Forward(List<Send> sends) {}

    /** The offset of each forwarded send, in order. */
    record ForwardOk(List<Long> offsets) {}

    /** A run of a log's messages, the first at offset {@code from}. */
    record Chunk(long from, List<JsonNode> msgs) {}

    /** The owner's copy of the logs the receiver lacks, by key. */
    record Replicate(Map<String, Chunk> logs) {}

    /** How long the receiver's copy of each replicated log now is. */
    record ReplicateOk(Map<String, Long> lengths) {}

    /** Asks a peer for the committed offsets it keeps. */
    record LocalCommits(List<String> keys) {}

    record LocalCommitsOk(Map<String, Long> offsets) {}

    /** Messages appended to a log, the first at offset {@code from}: to one this node owns, or to a copy. */
    record Stored(String key, long from, List<JsonNode> msgs, boolean owned) {}

    /** Committed offsets that raised what this node held. */
    record Committed(Map<String, Long> offsets) {}

    /**
     * Every log this node holds, owned or copied, its committed offsets and its peers'
     * progress, under one lock; every change to the logs and commits is journaled first.
     */
    static final class Logs {
        private final Map<String, List<JsonNode>> logs = new HashMap<>();
        /** The keys this node owns that it has appended to. */
        private final Set<String> owned = new HashSet<>();
        private final Map<String, Long> committed = new HashMap<>();
        /** peer → key → how much of the key's log the peer has confirmed holding. */
        private final Map<String, Map<String, Long>> confirmed = new HashMap<>();
        // Opened at init, before any message is handled.
        private Disk.Journal<Stored> appended;
        private Disk.Journal<Committed> commits;

        private List<JsonNode> log(String key) {
            return logs.computeIfAbsent(key, k -> new ArrayList<>());
        }

        /** Opens the journals in {@code disk} and takes in what a previous start of this node left there. */
        synchronized void restore(Disk disk) {
            appended = disk.journal("logs", Stored.class);
            commits = disk.journal("commits", Committed.class);
            for (Stored stored : appended.records()) place(stored);
            commits.records().forEach(c -> c.offsets().forEach((key, offset) -> committed.merge(key, offset, Math::max)));
        }

        /** Appends what continues the key's log; a record that does not reach its end adds nothing. */
        private void place(Stored stored) {
            if (stored.owned()) owned.add(stored.key());
            List<JsonNode> log = log(stored.key());
            long end = stored.from() + stored.msgs().size();
            if (stored.from() >= 0 && stored.from() <= log.size() && end > log.size()) {
                log.addAll(stored.msgs().subList((int) (log.size() - stored.from()), stored.msgs().size()));
            }
        }

        /** Appends sends for keys this node owns, on disk first, and returns their offsets in order. */
        synchronized List<Long> append(List<Send> sends) {
            var next = new HashMap<String, Long>();
            var records = new ArrayList<Stored>(sends.size());
            var offsets = new ArrayList<Long>(sends.size());
            for (Send send : sends) {
                long offset = next.merge(send.key(), 1L, Long::sum) - 1 + log(send.key()).size();
                records.add(new Stored(send.key(), offset, List.of(send.msg()), true));
                offsets.add(offset);
            }
            appended.append(records);
            records.forEach(this::place);
            return offsets;
        }

        /** Each requested key's messages from its requested offset on, for the keys that have any. */
        synchronized Map<String, List<List<Object>>> read(Map<String, Long> from) {
            var out = new HashMap<String, List<List<Object>>>();
            from.forEach((key, start) -> {
                List<JsonNode> log = logs.getOrDefault(key, List.of());
                var pairs = new ArrayList<List<Object>>();
                for (long o = Math.max(0, start); o < log.size(); o++) pairs.add(List.of(o, log.get((int) o)));
                if (!pairs.isEmpty()) out.put(key, pairs);
            });
            return out;
        }

        /** What {@code peer} has not confirmed of the logs this node owns. */
        synchronized Map<String, Chunk> unconfirmed(String peer) {
            Map<String, Long> held = confirmed.getOrDefault(peer, Map.of());
            var out = new HashMap<String, Chunk>();
            for (String key : owned) {
                List<JsonNode> log = log(key);
                long from = held.getOrDefault(key, 0L);
                if (from < log.size()) out.put(key, new Chunk(from, List.copyOf(log.subList((int) from, log.size()))));
            }
            return out;
        }

        /**
         * Extends copies with whatever continues them (an older chunk adds nothing), on
         * disk first; returns their lengths.
         */
        synchronized Map<String, Long> extend(Map<String, Chunk> chunks) {
            var records = new ArrayList<Stored>();
            chunks.forEach((key, chunk) -> {
                long held = log(key).size();
                long end = chunk.from() + chunk.msgs().size();
                if (chunk.from() >= 0 && chunk.from() <= held && end > held) {
                    records.add(new Stored(key, held, List.copyOf(chunk.msgs().subList((int) (held - chunk.from()), chunk.msgs().size())), false));
                }
            });
            appended.append(records);
            records.forEach(this::place);
            var lengths = new HashMap<String, Long>();
            chunks.keySet().forEach(key -> lengths.put(key, (long) log(key).size()));
            return lengths;
        }

        synchronized void confirm(String peer, Map<String, Long> lengths) {
            confirmed.computeIfAbsent(peer, p -> new HashMap<>()).putAll(lengths);
        }

        /** Takes in committed offsets, those that raise what it held on disk first. */
        synchronized void commit(Map<String, Long> offsets) {
            var raised = new HashMap<String, Long>();
            offsets.forEach((key, offset) -> {
                if (offset > committed.getOrDefault(key, Long.MIN_VALUE)) raised.put(key, offset);
            });
            if (raised.isEmpty()) return;
            commits.append(new Committed(raised));
            committed.putAll(raised);
        }

        synchronized Map<String, Long> committed(List<String> keys) {
            var out = new HashMap<String, Long>();
            for (String key : keys) if (committed.containsKey(key)) out.put(key, committed.get(key));
            return out;
        }
    }

    private final Logs logs = new Logs();
    /** Sends waiting to be forwarded, by owner; the first one's handler sends the batch. Guarded by itself. */
    private final Map<String, List<Request<Send>>> outbox = new HashMap<>();
    private final OneInFlight replication = new OneInFlight();
    /** Peers whose last request timed out, until one is answered; sends for keys they own fail at once. */
    private final Set<String> silent = ConcurrentHashMap.newKeySet();
    private Node node;

    public static void main(String... args) {
        Cli.run(new KafkaNode(), args);
    }

    @Override
    public void run() {
        node = new Node();
        node.onInit(() -> logs.restore(Disk.open(node)));
        node.handle(Send.class, request -> {
            String owner = owner(request.body().key());
            if (owner.equals(node.id())) {
                request.reply(new SendOk(logs.append(List.of(request.body())).getFirst()));
            } else if (silent.contains(owner)) { // definite: it was never sent
                throw new RpcError(RpcError.TEMPORARILY_UNAVAILABLE, owner + " owns the key and is not answering");
            } else {
                forward(owner, request);
            }
        });
        node.handle(Forward.class, request ->
                request.reply(new ForwardOk(logs.append(request.body().sends()))));
        node.handle(Poll.class, request -> request.reply(new PollOk(logs.read(request.body().offsets()))));
        node.handle(CommitOffsets.class, request -> {
            logs.commit(request.body().offsets());
            request.reply(new CommitOffsetsOk());
        });
        node.handle(LocalCommits.class, request -> request.reply(new LocalCommitsOk(logs.committed(request.body().keys()))));
        node.handle(ListCommittedOffsets.class, request -> {
            List<String> keys = request.body().keys();
            var asked = new HashMap<String, CompletableFuture<LocalCommitsOk>>();
            for (String peer : node.peers()) {
                if (!silent.contains(peer)) asked.put(peer, node.rpc(peer, new LocalCommits(keys), LocalCommitsOk.class, timeout()));
            }
            asked.forEach((peer, answer) -> {
                try {
                    logs.commit(Node.await(answer).offsets()); // committed, by some client: ours to report too
                } catch (RpcError e) { // left out: what it alone holds lags, which is safe (see above)
                    if (e.code() == RpcError.TIMEOUT) silent.add(peer);
                }
            });
            request.reply(new ListCommittedOffsetsOk(logs.committed(keys)));
        });
        node.handle(Replicate.class, request -> request.reply(new ReplicateOk(logs.extend(request.body().logs()))));
        // One copy in flight per peer: a partitioned peer costs a message per timeout, and is caught up after.
        // A silent peer gets one even with nothing new: the answer is what ends its silence.
        node.every(Duration.ofMillis(replicateMillis), () -> replication.sendEach(node.peers(), peer -> {
            Map<String, Chunk> chunks = logs.unconfirmed(peer);
            if (chunks.isEmpty() && !silent.contains(peer)) return null;
            return node.rpc(peer, new Replicate(chunks), ReplicateOk.class, timeout()).whenComplete((ok, error) -> {
                if (error == null) {
                    logs.confirm(peer, ok.lengths());
                    silent.remove(peer);
                } else {
                    silent.add(peer);
                }
            });
        }));
        node.run();
    }

    /** The key's owner: String.hashCode is the same in every JVM, so every node agrees. */
    private String owner(String key) {
        List<String> ids = node.nodeIds();
        return ids.get(Math.floorMod(key.hashCode(), ids.size()));
    }

    /**
     * Queues a send for its owner; the first send queued waits for others, then forwards
     * them all. Whatever goes wrong after that, every send of the batch gets one answer,
     * and the outbox's slot for the owner is free again for the next send: a throw left
     * the slot taken, or the batch's other sends unanswered, for good.
     */
    private void forward(String owner, Request<Send> request) {
        synchronized (outbox) {
            List<Request<Send>> queue = outbox.computeIfAbsent(owner, o -> new ArrayList<>());
            queue.add(request);
            if (queue.size() > 1) return;
        }
        List<Request<Send>> batch = null;
        try {
            Thread.sleep(batchMillis);
            batch = takeBatch(owner);
            List<Long> offsets = node.syncRpc(owner, new Forward(batch.stream().map(Request::body).toList()),
                    ForwardOk.class, timeout()).offsets();
            if (offsets.size() != batch.size()) { // checked before any answer, so none is answered twice
                throw new RpcError(RpcError.CRASH, owner + " gave " + offsets.size() + " offsets for " + batch.size() + " sends");
            }
            for (int i = 0; i < batch.size(); i++) batch.get(i).reply(new SendOk(offsets.get(i)));
        } catch (Throwable e) { // an Error too, as the node itself answers one
            if (batch == null) batch = takeBatch(owner);
            // A timeout stays a timeout and anything else is a crash: the owner may have appended them.
            RpcError error = e instanceof RpcError r ? r : new RpcError(RpcError.CRASH, "forwarding to " + owner + " failed: " + e);
            if (error.code() == RpcError.TIMEOUT) silent.add(owner);
            batch.forEach(r -> r.fail(error));
        }
    }

    /** Takes the owner's batch out of the outbox: the next send for that owner starts a new one. */
    private List<Request<Send>> takeBatch(String owner) {
        synchronized (outbox) {
            return outbox.remove(owner);
        }
    }

    private Duration timeout() {
        return Duration.ofMillis(timeoutMillis);
    }
}
