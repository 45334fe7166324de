package bench.workload.kafka;

import bench.Json;
import bench.Op;
import bench.net.Client;
import bench.report.Verdict;
import bench.workload.KeyPool;
import bench.workload.Workload;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Maelstrom's kafka workload. Each client process plays Maelstrom's kafka client: it
 * sends single messages ({@code send{key,msg}}, keys and values drawn as for
 * txn-rw-register, see {@link KeyPool}) and polls its assigned keys from its own
 * positions ({@code poll{offsets}}), at even odds; after a poll that returned messages it
 * commits the highest offsets it saw ({@code commit_offsets}); now and then (1 op in 64)
 * it assigns itself the key of the op it was about to make, a third of the time adding
 * every key with sent-but-unpolled messages, and fetches the committed offsets of the
 * keys it had not held ({@code list_committed_offsets}).
 *
 * <p>Maelstrom runs a poll and its commit inside one Jepsen operation: here the commit is
 * the poll's {@link #continuation}, sent at once, a request of its own in the history
 * and one operation with the poll in the op counts and latencies. An assign is its list.
 *
 * <p>As Jepsen's kafka workload (with Maelstrom's {@code :crash-clients? true}), it crashes
 * a client every 0..2 × 30 s / concurrency: a
 * {@link Workload#CRASH} operation, indefinite, after which the thread is a new process
 * with a new client that holds no keys until it assigns some, from the committed offsets.
 * These crashes are why Maelstrom's ok fraction for kafka stays under 1.
 *
 * <p>Final phase: each thread crashes its client, then starts a fresh consumer of every
 * key seen, from offset 0, and polls (committing as it goes), 5 polls a second as
 * Jepsen staggers them, until it has reached the highest offset known at the end of
 * the main phase on every key, for at most 10 s as Maelstrom does.
 */
public final class KafkaWorkload implements Workload {

    /** Maelstrom's chance of an assign instead of the next send or poll. */
    private static final double ASSIGN_P = 1.0 / 64;
    /** Maelstrom clips the final polls to this, in case the node lost messages. */
    private static final Duration MAELSTROM_FINAL_LIMIT = Duration.ofSeconds(10);
    /** Jepsen's final polls, each thread's staggered at {@code (gen/stagger 1/5)}: 5 a second. */
    private static final double JEPSEN_FINAL_POLL_RATE = 5;
    /** Jepsen's default crash-client-interval, which Maelstrom keeps. */
    private static final Duration JEPSEN_CRASH_INTERVAL = Duration.ofSeconds(30);

    /** One client's consumer state. */
    private static final class Client {
        /** Assigned keys and the next offset to poll from each, in Maelstrom's client's terms. */
        final Map<String, Long> offsets = new LinkedHashMap<>();
        /** The commit that carries on the poll just completed, sent as its continuation. */
        ObjectNode commit;
        /** In the final phase: the offsets still to reach. */
        final Map<String, Long> targets = new HashMap<>();
    }

    private final KeyPool pool;
    private final int concurrency;
    /** Mean time between two crashes, over all threads; 0 for none. */
    private final long crashGapNanos;
    private final long finalLimitNanos;
    /** When the next crash is due, on System.nanoTime's clock; set at the first request. */
    private long crashDue = Long.MIN_VALUE;
    /** Threads (process mod concurrency) whose client the final phase has crashed. */
    private final Set<Integer> crashedForFinal = new HashSet<>();
    private final Map<Integer, Client> clients = new HashMap<>();
    private final Map<Integer, Client> finalClients = new HashMap<>();
    /** The op drawn but deferred by an assign; Maelstrom's generator offers it again next. */
    private KeyPool.Draw deferred;
    /** Highest offset acknowledged / polled per key, for keys polls have not caught up on. */
    private final Map<String, Long> sent = new TreeMap<>();
    private final Map<String, Long> polled = new TreeMap<>();
    /** Highest offset known per key in the main phase: where the final polls must get to. */
    private final Map<String, Long> known = new TreeMap<>();
    private long finalStart = -1;

    /**
     * @param keyCount        keys in use at once, or null for Elle's default (10)
     * @param maxWritesPerKey messages per key before moving to a fresh key (Maelstrom's default 16)
     * @param concurrency     the test's client threads
     */
    public KafkaWorkload(Integer keyCount, int maxWritesPerKey, int concurrency) {
        this(keyCount, maxWritesPerKey, concurrency, JEPSEN_CRASH_INTERVAL, MAELSTROM_FINAL_LIMIT);
    }

    /**
     * As Maelstrom's, but with crashes every 0..2 × {@code crashInterval} / concurrency
     * ({@link Duration#ZERO} for none) and the final polls clipped to {@code finalLimit}
     * instead of 10 s: tests of nodes that lose messages need not wait for polls that can
     * never catch up.
     */
    public KafkaWorkload(Integer keyCount, int maxWritesPerKey, int concurrency, Duration crashInterval,
                         Duration finalLimit) {
        this.pool = new KeyPool(keyCount, maxWritesPerKey);
        this.concurrency = concurrency;
        this.crashGapNanos = crashInterval.toNanos() / concurrency;
        this.finalLimitNanos = finalLimit.toNanos();
    }

    @Override
    public ObjectNode next(int process, Random random) {
        Client client = clients.computeIfAbsent(process, p -> new Client());
        if (crashDue(random)) {
            clients.remove(process);
            return body(Workload.CRASH);
        }
        KeyPool.Draw draw = deferred != null ? deferred : pool.draw(random);
        deferred = null;
        if (random.nextDouble() < ASSIGN_P) {
            deferred = draw;
            var keys = new LinkedHashSet<String>();
            keys.add(String.valueOf(draw.key()));
            if (random.nextDouble() < 1.0 / 3 && !sent.isEmpty()) keys.addAll(sent.keySet());
            ObjectNode list = body("list_committed_offsets");
            keys.forEach(list.putArray("keys")::add);
            return list;
        }
        if (draw.write()) return body("send").put("key", String.valueOf(draw.key())).put("msg", draw.value());
        return poll(client);
    }

    @Override
    public boolean hasFinalPhase() {
        return true;
    }

    @Override
    public ObjectNode nextFinal(int process, Random random) {
        if (finalStart < 0) finalStart = System.nanoTime();
        if (crashGapNanos > 0 && crashedForFinal.add(process % concurrency)) return body(Workload.CRASH);
        Client client = finalClients.computeIfAbsent(process, p -> {
            // A fresh consumer, assigned every key and rewound to the beginning.
            var c = new Client();
            known.keySet().forEach(k -> c.offsets.put(k, 0L));
            c.targets.putAll(known);
            return c;
        });
        if (client.targets.isEmpty() || System.nanoTime() - finalStart > finalLimitNanos) return null;
        return poll(client);
    }

    @Override
    public double finalRate(String f) {
        return f.equals("poll") ? JEPSEN_FINAL_POLL_RATE : 0;
    }

    @Override
    public void completed(Op op) {
        Client client = (op.isFinal() ? finalClients : clients).get(op.process());
        if (client == null || !op.ok()) return;
        switch (op.f()) {
            case "send" -> {
                JsonNode offset = op.reply().get("offset");
                if (offset == null || !offset.isIntegralNumber()) return;
                String key = op.request().get("key").asText();
                sent.merge(key, offset.asLong(), Math::max);
                if (!op.isFinal()) known.merge(key, offset.asLong(), Math::max);
                catchUp(key);
            }
            case "poll" -> polled(client, op);
            case "list_committed_offsets" -> assigned(client, op);
            default -> {
            }
        }
    }

    @Override
    public Verdict check(List<Op> history) {
        return KafkaChecker.check(history);
    }

    /**
     * Whether a crash is due now; Jepsen's stagger, on planned times: each is 0..2 mean gaps
     * after the one before, the first after the workload's first request.
     */
    private boolean crashDue(Random random) {
        if (crashGapNanos == 0) return false;
        long now = System.nanoTime();
        if (crashDue == Long.MIN_VALUE) crashDue = now + (long) (random.nextDouble() * 2 * crashGapNanos);
        if (now < crashDue) return false;
        crashDue += (long) (random.nextDouble() * 2 * crashGapNanos);
        return true;
    }

    private static ObjectNode body(String type) {
        return Json.object().put("type", type);
    }

    @Override
    public ObjectNode continuation(Op op) {
        Client client = (op.isFinal() ? finalClients : clients).get(op.process());
        if (client == null) return null;
        ObjectNode commit = client.commit;
        client.commit = null;
        return commit;
    }

    private static ObjectNode poll(Client client) {
        ObjectNode poll = body("poll");
        ObjectNode offsets = poll.putObject("offsets");
        client.offsets.forEach(offsets::put);
        return poll;
    }

    /** Advances the client past what it polled, owes the commit of it, and tracks what has been seen. */
    private void polled(Client client, Op op) {
        JsonNode msgs = op.reply().get("msgs");
        if (msgs == null || !msgs.isObject()) return;
        ObjectNode commit = body("commit_offsets");
        ObjectNode highest = commit.putObject("offsets");
        for (var field : msgs.properties()) {
            long max = -1;
            for (JsonNode pair : field.getValue()) max = Math.max(max, pair.path(0).asLong(-1));
            String key = field.getKey();
            // Maelstrom's client adds every key in the reply, held or not, at one past its highest offset.
            client.offsets.merge(key, max + 1, Math::max);
            if (max < 0) continue;
            highest.put(key, max);
            polled.merge(key, max, Math::max);
            if (!op.isFinal()) known.merge(key, max, Math::max);
            if (op.isFinal() && client.targets.getOrDefault(key, Long.MAX_VALUE) <= max) client.targets.remove(key);
            catchUp(key);
        }
        if (!highest.isEmpty()) client.commit = commit;
    }

    /** Forgets a key once polls have caught up with everything acknowledged on it. */
    private void catchUp(String key) {
        if (polled.getOrDefault(key, -1L) >= sent.getOrDefault(key, -1L)) {
            sent.remove(key);
            polled.remove(key);
        }
    }

    /** The assign's new key set: keys already held keep their position, others start at the committed offset or 0. */
    private static void assigned(Client client, Op op) {
        JsonNode committed = op.reply().path("offsets");
        var positions = new ArrayList<Map.Entry<String, Long>>();
        for (JsonNode k : op.request().get("keys")) {
            String key = k.asText();
            Long held = client.offsets.get(key);
            positions.add(Map.entry(key, held != null ? held : committed.path(key).asLong(0)));
        }
        client.offsets.clear();
        positions.forEach(e -> client.offsets.put(e.getKey(), e.getValue()));
    }
}
