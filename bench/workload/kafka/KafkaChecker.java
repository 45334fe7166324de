package bench.workload.kafka;

import bench.Json;
import bench.Op;
import bench.report.Verdict;
import bench.workload.Findings;
import bench.workload.Workload;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The kafka checker: what Jepsen's {@code jepsen.tests.kafka} analysis flags for
 * Maelstrom's kafka workload (single-message sends and polls, assign-based consumers).
 *
 * <p>Per key, a version order is built from every known [offset, message] pair (ok sends
 * and ok polls); its dense index (offsets with a message, in order) is what "skip" and
 * "backwards" are measured in. Flagged, each with its keys, offsets and operations:
 * <ul>
 *   <li>inconsistent-offsets: one offset holding different messages;</li>
 *   <li>duplicate: one message at several offsets;</li>
 *   <li>lost-write: an acknowledged message before the highest one polled that no ok poll saw;</li>
 *   <li>unseen: an acknowledged message no ok poll ever saw (Jepsen counts it an error too);</li>
 *   <li>poll-skip / nonmonotonic-poll: a process's poll of a key starting more than one
 *       message after, or not after, where its previous poll of that key ended (an assign
 *       keeps only the keys it assigns; the final phase is a fresh consumer);</li>
 *   <li>int-poll-skip / int-nonmonotonic-poll: the same inside one poll;</li>
 *   <li>nonmonotonic-send: a process's send acknowledged at or before its previous send
 *       to that key, in the version order;</li>
 *   <li>G1a: an ok poll returned a message whose send failed definitely;</li>
 *   <li>G1c-realtime: an ok poll returned a message sent only after the poll completed
 *       (Jepsen's cycle search over write-read and realtime edges finds exactly these).</li>
 * </ul>
 * A polled message that was never sent makes Jepsen's analysis throw (its write-read graph
 * finds no writer), which Maelstrom reports as unknown whatever else the history holds;
 * here it makes the verdict unknown too, the other findings kept for reading. The worst
 * realtime lag goes into the details. Committed offsets are not
 * checked by Jepsen (its client keeps them inside poll operations); a committed offset seen
 * going backwards is reported in the details as a warning, without changing the verdict.
 */
final class KafkaChecker {

    /** An offset and the message found there. */
    record Pair(long offset, Object msg) {
    }

    /** An operation of the kafka workload as the checker reads it. */
    sealed interface Event permits Send, Poll, Assign, Commit {
        /** The operation. */
        Op op();
    }

    /** A send of {@code msg} to {@code key}; {@code offset} is known only when acknowledged. */
    record Send(Op op, String key, Object msg, Long offset) implements Event {
    }

    /** A poll; {@code reads} maps each key in an ok reply to its pairs, and is empty otherwise. */
    record Poll(Op op, Map<String, List<Pair>> reads) implements Event {
    }

    /**
     * A list_committed_offsets: the client's assign of {@code keys};
     * {@code committed} is the reply's offsets when ok.
     */
    record Assign(Op op, List<String> keys, Map<String, Long> committed) implements Event {
    }

    /** A commit_offsets of {@code offsets}. */
    record Commit(Op op, Map<String, Long> offsets) implements Event {
    }

    /** One key's log as every operation saw it, and its dense version order. */
    private static final class Log {
        final TreeMap<Long, Set<Object>> byOffset = new TreeMap<>();
        final List<Object> byIndex = new ArrayList<>();
        final Map<Object, Integer> byValue = new HashMap<>();
        final Map<Object, Integer> firstIndex = new HashMap<>();
        final Map<Object, Integer> lastIndex = new HashMap<>();

        void add(long offset, Object msg) {
            byOffset.computeIfAbsent(offset, o -> new LinkedHashSet<>()).add(msg);
        }

        /** Derives the dense order once every pair is in. */
        void index() {
            int i = 0;
            for (Set<Object> msgs : byOffset.values()) {
                Object chosen = msgs.iterator().next();
                byIndex.add(chosen);
                byValue.put(chosen, i);
                for (Object msg : msgs) {
                    firstIndex.putIfAbsent(msg, i);
                    lastIndex.put(msg, i);
                }
                i++;
            }
        }

        /** The index of a message, or null when it is unknown (or null). */
        Integer index(Object msg) {
            return msg == null ? null : byValue.get(msg);
        }
    }

    private final List<Event> events = new ArrayList<>();
    private final Map<String, Log> logs = new TreeMap<>();
    /** key → message → the (last) send of it. */
    private final Map<String, Map<Object, Send>> writerOf = new HashMap<>();
    /** key → message → the ok polls that returned it. */
    private final Map<String, Map<Object, List<Poll>>> readersOf = new HashMap<>();
    private final List<String> findings = new ArrayList<>();
    private final ObjectNode details = Json.object();
    private final ObjectNode errors = details.putObject("errors");
    private boolean unknown;

    private KafkaChecker(List<Op> history) {
        for (Op op : history) {
            Event e = parse(op);
            if (e != null) events.add(e);
        }
    }

    /** Judges a history of the kafka workload. */
    static Verdict check(List<Op> history) {
        return new KafkaChecker(history).run();
    }

    private Verdict run() {
        for (Event e : events) {
            switch (e) {
                case Send s when s.offset() != null -> log(s.key()).add(s.offset(), s.msg());
                case Poll p -> p.reads().forEach((k, pairs) -> pairs.forEach(pair -> log(k).add(pair.offset(), pair.msg())));
                default -> {
                }
            }
            if (e instanceof Send s) writerOf.computeIfAbsent(s.key(), k -> new HashMap<>()).put(s.msg(), s);
            if (e instanceof Poll p && p.op().ok()) {
                p.reads().forEach((k, pairs) -> pairs.forEach(pair -> readersOf.computeIfAbsent(k, x -> new HashMap<>())
                        .computeIfAbsent(pair.msg(), m -> new ArrayList<>()).add(p)));
            }
        }
        logs.values().forEach(Log::index);

        inconsistentOffsets();
        duplicates();
        lostWrites();
        unseen();
        pollOrder();
        internalPollOrder();
        sendOrder();
        abortedAndFutureReads();
        details.set("worst_realtime_lag", worstRealtimeLag());
        details.set("warnings", commitRegressions());
        details.put("keys", logs.size());

        var types = new ArrayList<String>();
        errors.fieldNames().forEachRemaining(types::add);
        details.set("error_types", Json.array().addAll(types.stream().map(TextNode::valueOf).toList()));
        Verdict.Validity validity = unknown ? Verdict.Validity.UNKNOWN
                : !types.isEmpty() ? Verdict.Validity.INVALID : Verdict.Validity.VALID;
        return new Verdict(validity, details, findings);
    }

    private Log log(String key) {
        return logs.computeIfAbsent(key, k -> new Log());
    }

    /** A key's log for reading, without adding an empty one for a key nothing was seen at. */
    private Log seen(String key) {
        Log log = logs.get(key);
        return log != null ? log : new Log();
    }

    /** Reads one operation; replies that fail Maelstrom's schema make the operation indefinite, as there. */
    static Event parse(Op op) {
        JsonNode req = op.request();
        JsonNode rep = op.ok() ? op.reply() : null;
        return switch (op.f()) {
            case "send" -> {
                Long offset = rep != null && rep.path("offset").isIntegralNumber() ? rep.get("offset").asLong() : null;
                yield new Send(indefiniteUnless(op, offset != null), req.path("key").asText(),
                        Findings.plain(req.get("msg")), offset);
            }
            case "poll" -> {
                Map<String, List<Pair>> reads = rep == null ? null : pollReads(rep.get("msgs"));
                yield new Poll(indefiniteUnless(op, reads != null), reads == null ? Map.of() : reads);
            }
            case "list_committed_offsets" -> {
                var keys = new ArrayList<String>();
                req.path("keys").forEach(k -> keys.add(k.asText()));
                Map<String, Long> committed = rep == null ? null : offsets(rep.get("offsets"));
                yield new Assign(indefiniteUnless(op, committed != null || rep == null), keys,
                        committed == null ? Map.of() : committed);
            }
            case "commit_offsets" -> new Commit(op, Objects.requireNonNullElse(offsets(req.get("offsets")), Map.of()));
            default -> null;
        };
    }

    private static Op indefiniteUnless(Op op, boolean wellFormed) {
        if (!op.ok() || wellFormed) return op;
        return new Op(op.process(), op.client(), op.node(), op.f(), op.request(), op.reply(), Op.Type.INFO,
                op.invokedAt(), op.completedAt(), op.isFinal());
    }

    private static Map<String, List<Pair>> pollReads(JsonNode msgs) {
        if (msgs == null || !msgs.isObject()) return null;
        var reads = new LinkedHashMap<String, List<Pair>>();
        for (var field : msgs.properties()) {
            if (!field.getValue().isArray()) return null;
            var pairs = new ArrayList<Pair>();
            for (JsonNode pair : field.getValue()) {
                if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isIntegralNumber()) return null;
                pairs.add(new Pair(pair.get(0).asLong(), Findings.plain(pair.get(1))));
            }
            reads.put(field.getKey(), pairs);
        }
        return reads;
    }

    private static Map<String, Long> offsets(JsonNode offsets) {
        if (offsets == null || !offsets.isObject()) return null;
        var result = new LinkedHashMap<String, Long>();
        for (var field : offsets.properties()) {
            if (!field.getValue().isIntegralNumber()) return null;
            result.put(field.getKey(), field.getValue().asLong());
        }
        return result;
    }

    // ---- the analyses -------------------------------------------------------------

    private void inconsistentOffsets() {
        logs.forEach((key, log) -> log.byOffset.forEach((offset, msgs) -> {
            if (msgs.size() < 2) return;
            var ops = new ArrayList<Op>();
            for (Object msg : msgs) {
                Send w = writer(key, msg);
                if (w != null && Objects.equals(w.offset(), offset)) ops.add(w.op());
                for (Poll p : readers(key, msg)) {
                    if (p.reads().get(key).stream().anyMatch(pair -> pair.offset() == offset)) ops.add(p.op());
                }
            }
            ObjectNode e = error("inconsistent-offsets", key);
            e.put("offset", offset);
            e.set("values", strings(msgs));
            add(e, "ops", ops);
            finding("inconsistent-offsets", "key %s offset %d holds different messages %s: %s", key, offset, msgs,
                    describe(ops));
        }));
    }

    private void duplicates() {
        logs.forEach((key, log) -> {
            var offsetsOf = new LinkedHashMap<Object, List<Long>>();
            log.byOffset.forEach((offset, msgs) -> msgs.forEach(m -> offsetsOf.computeIfAbsent(m, x -> new ArrayList<>()).add(offset)));
            offsetsOf.forEach((msg, offsets) -> {
                if (offsets.size() < 2) return;
                var ops = new ArrayList<Op>();
                Send w = writer(key, msg);
                if (w != null) ops.add(w.op());
                readers(key, msg).forEach(p -> ops.add(p.op()));
                ObjectNode e = error("duplicate", key);
                e.put("value", String.valueOf(msg));
                e.set("offsets", Json.array().addAll(offsets.stream().map(JsonNodeFactory.instance::numberNode).toList()));
                add(e, "ops", ops);
                finding("duplicate", "key %s message %s appears at offsets %s: %s", key, msg, offsets, describe(ops));
            });
        });
    }

    private void lostWrites() {
        logs.forEach((key, log) -> {
            Set<Object> read = readersOf.getOrDefault(key, Map.of()).keySet();
            if (read.isEmpty()) return;
            int bound = -1;
            for (Object msg : read) bound = Math.max(bound, log.firstIndex.getOrDefault(msg, -1));
            Object maxRead = bound < 0 ? null : log.byIndex.get(bound);
            List<Set<Object>> dense = List.copyOf(log.byOffset.values());
            for (int i = 0; i <= bound; i++) {
                for (Object msg : dense.get(i)) {
                    if (log.lastIndex.get(msg) != i || read.contains(msg)) continue;
                    Send w = writer(key, msg);
                    if (w == null || !w.op().ok()) continue;
                    Op reader = readers(key, maxRead).stream().findFirst().map(Poll::op).orElse(null);
                    ObjectNode e = error("lost-write", key);
                    e.put("value", String.valueOf(msg));
                    e.put("offset", w.offset());
                    e.put("index", i);
                    e.put("max_read_index", bound);
                    e.set("writer", Findings.json(w.op()));
                    if (reader != null) e.set("max_read", Findings.json(reader));
                    finding("lost-write", "key %s message %s acknowledged at offset %d %s was never polled, though %s at a later offset was %s",
                            key, msg, w.offset(), Findings.describe(w.op()), maxRead,
                            reader == null ? "" : Findings.describe(reader));
                }
            }
        });
    }

    private void unseen() {
        var unseen = new TreeMap<String, List<Send>>();
        for (Event e : events) {
            if (e instanceof Send s && s.op().ok() && !readersOf.getOrDefault(s.key(), Map.of()).containsKey(s.msg())) {
                unseen.computeIfAbsent(s.key(), k -> new ArrayList<>()).add(s);
            }
        }
        if (unseen.isEmpty()) return;
        ObjectNode e = errors.putObject("unseen");
        ObjectNode counts = e.putObject("unseen");
        ObjectNode messages = e.putObject("messages");
        unseen.forEach((key, sends) -> {
            counts.put(key, sends.size());
            messages.set(key, strings(sends.stream().map(Send::msg).toList()));
            finding("unseen", "key %s: %d acknowledged message(s) never polled, e.g. %s", key, sends.size(),
                    Findings.describe(sends.getFirst().op()));
        });
    }

    /** Per consumer (a process, and the final phase as a fresh one), across successive polls. */
    private void pollOrder() {
        for (List<Event> consumer : byConsumer().values()) {
            var lastReads = new HashMap<String, Poll>();
            for (Event e : consumer) {
                switch (e) {
                    case Assign a when a.op().type() != Op.Type.FAIL -> lastReads.keySet().retainAll(a.keys());
                    case Poll p when p.op().ok() -> {
                        p.reads().forEach((key, pairs) -> {
                            Poll last = lastReads.get(key);
                            if (last == null) return;
                            List<Pair> before = last.reads().get(key);
                            Object v = before.isEmpty() ? null : before.getLast().msg();
                            Object v2 = pairs.isEmpty() ? null : pairs.getFirst().msg();
                            order(key, v, v2, "poll-skip", "nonmonotonic-poll", List.of(last.op(), p.op()));
                        });
                        p.reads().keySet().forEach(k -> lastReads.put(k, p));
                    }
                    default -> {
                    }
                }
            }
        }
    }

    private void internalPollOrder() {
        for (Event e : events) {
            if (!(e instanceof Poll p) || !p.op().ok()) continue;
            p.reads().forEach((key, pairs) -> {
                for (int i = 1; i < pairs.size(); i++) {
                    order(key, pairs.get(i - 1).msg(), pairs.get(i).msg(), "int-poll-skip", "int-nonmonotonic-poll",
                            List.of(p.op()));
                }
            });
        }
    }

    /**
     * Compares two successive messages of a key: more than one index apart is a skip,
     * not forward is nonmonotonic; when either index is unknown, Jepsen assumes a step of one.
     */
    private void order(String key, Object v, Object v2, String skip, String nonmonotonic, List<Op> ops) {
        Log log = seen(key);
        Integer i = log.index(v);
        Integer i2 = log.index(v2);
        int delta = i != null && i2 != null ? i2 - i : 1;
        if (delta == 1) return;
        String type = delta > 1 ? skip : nonmonotonic;
        ObjectNode e = error(type, key);
        e.set("values", strings(List.of(String.valueOf(v), String.valueOf(v2))));
        e.put("delta", delta);
        if (delta > 1) e.set("skipped", strings(log.byIndex.subList(i + 1, i2)));
        add(e, "ops", ops);
        if (delta > 1) {
            finding(type, "key %s: from message %s to %s skips %s: %s", key, v, v2, log.byIndex.subList(i + 1, i2),
                    describe(ops));
        } else {
            finding(type, "key %s: message %s then %s, which is not after it (index delta %d): %s", key, v, v2, delta,
                    describe(ops));
        }
    }

    /** Per process (ok and info sends; an assign keeps only its keys, as Jepsen does). */
    private void sendOrder() {
        for (List<Event> consumer : byConsumer().values()) {
            var lastSends = new HashMap<String, Send>();
            for (Event e : consumer) {
                if (e.op().type() == Op.Type.FAIL) continue;
                switch (e) {
                    case Assign a -> lastSends.keySet().retainAll(a.keys());
                    case Send s -> {
                        Send last = lastSends.put(s.key(), s);
                        if (last == null) continue;
                        Log log = seen(s.key());
                        Integer i = log.index(last.msg());
                        Integer i2 = log.index(s.msg());
                        if (i == null || i2 == null || i2 > i) continue;
                        ObjectNode err = error("nonmonotonic-send", s.key());
                        err.set("values", strings(List.of(last.msg(), s.msg())));
                        err.put("delta", i2 - i);
                        add(err, "ops", List.of(last.op(), s.op()));
                        finding("nonmonotonic-send", "key %s: message %s was acknowledged at offset %s, not after the same process's previous message %s at offset %s: %s",
                                s.key(), s.msg(), s.offset(), last.msg(), last.offset(), describe(List.of(last.op(), s.op())));
                    }
                    default -> {
                    }
                }
            }
        }
    }

    private void abortedAndFutureReads() {
        for (Event e : events) {
            if (!(e instanceof Poll p) || !p.op().ok()) continue;
            p.reads().forEach((key, pairs) -> {
                for (Pair pair : pairs) {
                    Send w = writer(key, pair.msg());
                    if (w == null) {
                        unknown = true;
                        findings.add("unknown: key %s message %s was polled but never sent %s".formatted(key, pair.msg(),
                                Findings.describe(p.op())));
                    } else if (w.op().type() == Op.Type.FAIL) {
                        ObjectNode err = error("G1a", key);
                        err.put("value", String.valueOf(pair.msg()));
                        err.set("writer", Findings.json(w.op()));
                        err.set("reader", Findings.json(p.op()));
                        finding("G1a", "key %s message %s was polled %s though its send failed %s", key, pair.msg(),
                                Findings.describe(p.op()), Findings.describe(w.op()));
                    } else if (w.op().invokedAt() > p.op().completedAt()) {
                        ObjectNode err = error("G1c-realtime", key);
                        err.put("value", String.valueOf(pair.msg()));
                        err.set("writer", Findings.json(w.op()));
                        err.set("reader", Findings.json(p.op()));
                        finding("G1c-realtime", "key %s message %s was polled %s before it was sent %s", key, pair.msg(),
                                Findings.describe(p.op()), Findings.describe(w.op()));
                    }
                }
            });
        }
    }

    /**
     * Jepsen's realtime lag of a poll and key: how long before the poll's invocation the
     * highest offset the consumer had reached stopped being the end of the log (known from
     * an ok send or poll of a later offset). Consumers start at -1 on the keys they poll.
     */
    private ObjectNode worstRealtimeLag() {
        // Per key, offset → the first completion time at which that offset was known to exist, kept
        // only where no higher offset was known earlier: a staircase (offsets and times both rise), so
        // the first entry at or above an offset gives the earliest time anything from there existed.
        // Jepsen keeps a vector indexed by offset; a map stays small when offsets are sparse.
        var known = new HashMap<String, TreeMap<Long, Long>>();
        events.stream().filter(e -> e.op().ok()).sorted(Comparator.comparingLong(e -> e.op().completedAt()))
                .forEach(e -> maxOffsets(e).forEach((key, offset) -> {
                    TreeMap<Long, Long> stairs = known.computeIfAbsent(key, k -> new TreeMap<>());
                    if (stairs.ceilingKey(offset) == null) stairs.put(offset, e.op().completedAt());
                }));
        ObjectNode worst = Json.object();
        long worstLag = -1;
        for (List<Event> consumer : byConsumer().values()) {
            var position = new HashMap<String, Long>();
            for (Event e : consumer) {
                if (!e.op().ok()) continue;
                if (e instanceof Assign a) {
                    position.keySet().retainAll(a.keys());
                    a.keys().forEach(k -> position.putIfAbsent(k, -1L));
                }
                if (!(e instanceof Poll p)) continue;
                p.op().request().path("offsets").fieldNames().forEachRemaining(k -> position.putIfAbsent(k, -1L));
                maxOffsets(p).forEach((k, o) -> position.merge(k, o, Math::max));
                for (var entry : position.entrySet()) {
                    // When did the consumer's position stop being the end of the log?
                    var next = known.getOrDefault(entry.getKey(), new TreeMap<>()).ceilingEntry(entry.getValue() + 1);
                    if (next == null) continue;
                    long lag = Math.max(0, p.op().invokedAt() - next.getValue());
                    if (lag > worstLag) {
                        worstLag = lag;
                        worst.put("time_s", Findings.seconds(p.op().invokedAt()));
                        worst.put("process", p.op().process());
                        worst.put("key", entry.getKey());
                        worst.put("lag_s", Findings.seconds(lag));
                    }
                }
            }
        }
        if (worstLag < 0) worst.put("lag_s", 0.0);
        return worst;
    }

    /** The highest offset an ok send or poll shows for each key. */
    private static Map<String, Long> maxOffsets(Event e) {
        var result = new HashMap<String, Long>();
        switch (e) {
            case Send s when s.offset() != null -> result.put(s.key(), s.offset());
            case Poll p -> p.reads().forEach((k, pairs) -> pairs.forEach(pair -> result.merge(k, pair.offset(), Math::max)));
            default -> {
            }
        }
        return result;
    }

    /**
     * Not a Jepsen check: a list_committed_offsets that reports a key's committed offset
     * below what an earlier one (completed before it was invoked) reported.
     */
    private ArrayNode commitRegressions() {
        ArrayNode warnings = Json.array();
        var lists = events.stream().filter(e -> e instanceof Assign && e.op().ok()).map(e -> (Assign) e).toList();
        var highest = new HashMap<String, Assign>();
        // Sweep in invocation order, folding in each earlier list only once it has completed.
        var byCompletion = new ArrayList<>(lists);
        byCompletion.sort(Comparator.comparingLong(a -> a.op().completedAt()));
        int done = 0;
        for (Assign a : lists) {
            while (done < byCompletion.size() && byCompletion.get(done).op().completedAt() < a.op().invokedAt()) {
                Assign earlier = byCompletion.get(done++);
                earlier.committed().forEach((k, o) -> highest.merge(k, earlier, (x, y) -> x.committed().get(k) >= o ? x : y));
            }
            a.committed().forEach((k, o) -> {
                Assign earlier = highest.get(k);
                if (earlier != null && earlier.committed().get(k) > o) {
                    warnings.add("committed offset of key %s went back from %d to %d: %s then %s".formatted(k,
                            earlier.committed().get(k), o, Findings.describe(earlier.op()), Findings.describe(a.op())));
                }
            });
        }
        return warnings;
    }

    // ---- helpers ----------------------------------------------------------------

    /** Events grouped by consumer: each process in the main phase, and each process again in the final phase. */
    private Map<String, List<Event>> byConsumer() {
        var result = new LinkedHashMap<String, List<Event>>();
        for (Event e : events) {
            result.computeIfAbsent(e.op().process() + (e.op().isFinal() ? "/final" : ""), k -> new ArrayList<>()).add(e);
        }
        return result;
    }

    private Send writer(String key, Object msg) {
        return writerOf.getOrDefault(key, Map.of()).get(msg);
    }

    private List<Poll> readers(String key, Object msg) {
        List<Poll> polls = msg == null ? null : readersOf.getOrDefault(key, Map.of()).get(msg);
        return polls == null ? List.of() : polls;
    }

    private ObjectNode error(String type, String key) {
        ArrayNode list = errors.has(type) ? (ArrayNode) errors.get(type) : errors.putArray(type);
        return list.addObject().put("key", key);
    }

    private static void add(ObjectNode error, String field, List<Op> ops) {
        ArrayNode array = error.putArray(field);
        ops.forEach(op -> array.add(Findings.json(op)));
    }

    private static ArrayNode strings(Collection<?> values) {
        ArrayNode array = Json.array();
        values.forEach(v -> array.add(String.valueOf(v)));
        return array;
    }

    private void finding(String type, String format, Object... args) {
        findings.add(type + ": " + format.formatted(args));
    }

    private static String describe(List<Op> ops) {
        return String.join(" ", ops.stream().map(Findings::describe).toList());
    }
}
