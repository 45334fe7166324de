package bench.workload.txn;

import bench.Json;
import bench.Op;
import bench.report.Verdict;
import bench.workload.Findings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.function.Predicate;

/**
 * The txn-list-append checker, after Elle's list-append analysis ({@code elle.list-append}
 * with {@code elle.txn}'s cycle classes), at the consistency models Maelstrom names.
 *
 * <p>Appends make versions visible: a read of [1 2 3] says the key went through [1], [1 2]
 * and [1 2 3]. Per key, the longest list read is the version order, provided every other
 * read is a prefix of it (else: incompatible-order). From that order, over ok and indefinite
 * transactions (values unique per key tell writers apart):
 * <ul>
 *   <li>T1 ww→ T2 when T2 appended the element right after one T1 appended (an append never
 *       read comes after the last element read);</li>
 *   <li>T1 wr→ T2 when the last element of T2's read is T1's append;</li>
 *   <li>T1 rw→ T2 when T1 read the state right before T2's append (T1 did not see it);</li>
 *   <li>realtime: T1 completed ok before T2 was invoked (a transitive reduction, as Elle);
 *       process: a client process's ok transactions in order. Each is added only when the
 *       models forbid a cycle that uses it (realtime for strict serializability).</li>
 * </ul>
 * Each strongly connected component of that graph is searched for the worst cycle of each
 * class the models forbid (see {@link CycleSearch}), skipping classes a cycle found already
 * implies; a component whose model subgraph has a cycle none of those explain is reported
 * as the model's {@code -cycle-exists}. Besides cycles: G1a (a read of a failed
 * transaction's append), G1b (a read ending in an append its transaction followed with
 * another to the key), internal (a read that disagrees with the transaction's own earlier
 * read or appends), future-read, duplicate-elements, incompatible-order, dirty-update and
 * lost-update. An anomaly counts when one of the models forbids it ({@link Consistency});
 * only those are reported, with those that leave the verdict unknown (no dependency at
 * all, a search given up, an element appended twice). The report names every transaction
 * of each case.
 */
final class ListAppendChecker {

    /** A micro-op of a list-append transaction. */
    sealed interface Mop permits Read, Append {
        /** The key it touches. */
        Object key();
    }

    /** A read of {@code key}: the list seen, or null for none (a key never appended to, or a read not completed). */
    record Read(Object key, List<Object> value) implements Mop {
    }

    /** An append of {@code value} to {@code key}'s list. */
    record Append(Object key, Object value) implements Mop {
    }

    /** A transaction: its position in the history, its operation, its micro-ops as completed (or requested). */
    record Txn(int id, Op op, List<Mop> mops) {
        /** Whether it may have happened: ok or indefinite. */
        boolean possible() {
            return op.type() != Op.Type.FAIL;
        }
    }

    /** An instance of an anomaly: its detail for results.json and its line for the findings. */
    private record Case(ObjectNode detail, String line) {
    }

    /** The state before a key's first append, as a version. */
    private static final Object INIT = new Object() {
        @Override
        public String toString() {
            return "the initial (nil) state";
        }
    };
    /** Most cases kept per anomaly type; the count says how many there were. */
    private static final int CASES_KEPT = 20;
    /** Steps of cycle search per kind of cycle and component, after which it gives up (as Elle's search times out). */
    private static final long SEARCH_BUDGET = 2_000_000;
    /** Anomalies that make the verdict unknown rather than invalid. */
    private static final Set<String> UNKNOWN = Set.of("empty-transaction-graph", "cycle-search-timeout",
            "duplicate-appends");

    private final Set<Consistency.Model> models;

    /** A checker for every one of the given models. */
    ListAppendChecker(Set<Consistency.Model> models) {
        if (models.isEmpty()) throw new IllegalArgumentException("no consistency model to check");
        this.models = EnumSet.copyOf(models);
    }

    /** Judges a history of txn operations. */
    Verdict check(List<Op> history) {
        return new Analysis(TxnHistory.parse(history, ListAppendChecker::mops, Txn::new)).verdict();
    }

    /** Micro-ops from their JSON form [["r",k,[...]|null],["append",k,v]], or null when malformed. */
    private static List<Mop> mops(JsonNode txn) {
        if (txn == null || !txn.isArray()) return null;
        var mops = new ArrayList<Mop>();
        for (JsonNode mop : txn) {
            if (!mop.isArray() || mop.size() != 3) return null;
            Object key = Findings.plain(mop.get(1));
            JsonNode value = mop.get(2);
            switch (mop.get(0).asText()) {
                case "r" -> {
                    if (value.isNull()) {
                        mops.add(new Read(key, null));
                    } else if (value.isArray()) {
                        var list = new ArrayList<Object>();
                        value.forEach(e -> list.add(Findings.plain(e)));
                        mops.add(new Read(key, list));
                    } else {
                        return null;
                    }
                }
                case "append" -> mops.add(new Append(key, Findings.plain(value)));
                default -> {
                    return null;
                }
            }
        }
        return mops;
    }

    /** One history's analysis: its indexes, graph and anomalies. */
    private final class Analysis {
        final List<Txn> txns;
        final Map<String, List<Case>> anomalies = new LinkedHashMap<>();
        final Map<String, Integer> counts = new HashMap<>();
        /** key → its version order: the elements in the order they were appended. */
        final Map<Object, List<Object>> order = new HashMap<>();
        /** key → element → its position in {@link #order}. */
        final Map<Object, Map<Object, Integer>> position = new HashMap<>();
        /** key → element → the ok or indefinite transaction that appended it. */
        final Map<Object, Map<Object, Txn>> writer = new HashMap<>();
        /** key → last element read (or INIT) → the ok transactions that read that state. */
        final Map<Object, Map<Object, Set<Txn>>> readers = new HashMap<>();
        final TxnGraph graph = new TxnGraph();

        Analysis(List<Txn> txns) {
            this.txns = txns;
        }

        Verdict verdict() {
            duplicateAppends();
            abortedReads();
            intermediateReads();
            internal();
            duplicateElements();
            versionOrders();
            dirtyUpdates();
            lostUpdates();
            dependencies();
            int extra = extraRels();
            if (extra == TxnGraph.REALTIME) realtime();
            if (extra == TxnGraph.PROCESS) process();
            if (graph.isEmpty()) add("empty-transaction-graph", Json.object(), "no transaction depends on another");
            cycles(extra);
            return result();
        }

        private void add(String type, ObjectNode detail, String line) {
            int n = counts.merge(type, 1, Integer::sum);
            if (n <= CASES_KEPT) anomalies.computeIfAbsent(type, t -> new ArrayList<>()).add(new Case(detail, line));
        }

        /** An anomaly that involves these transactions, as detail and line. */
        private void add(String type, String what, Collection<Txn> involved, ObjectNode detail) {
            ArrayNode ops = detail.putArray("txns");
            var line = new StringBuilder(what);
            for (Txn t : involved) {
                ops.add(Findings.json(t.op()));
                line.append("; T").append(t.id()).append(' ').append(Findings.describe(t.op()));
            }
            add(type, detail, line.toString());
        }

        /** Every append value unique per key, as the generator promises; else Elle's analysis does not apply. */
        private void duplicateAppends() {
            var seen = new HashMap<Object, Map<Object, Txn>>();
            for (Txn t : txns) {
                for (Mop m : t.mops()) {
                    if (!(m instanceof Append a)) continue;
                    Txn other = seen.computeIfAbsent(a.key(), k -> new HashMap<>()).putIfAbsent(a.value(), t);
                    if (other != null && other != t) {
                        add("duplicate-appends", "value %s appended to key %s more than once".formatted(a.value(),
                                a.key()), List.of(other, t), Json.object());
                    }
                }
            }
        }

        /** key → value → the transaction that appended it, over transactions {@code which} accepts. */
        private Map<Object, Map<Object, Txn>> appendIndex(Predicate<Txn> which) {
            var index = new HashMap<Object, Map<Object, Txn>>();
            for (Txn t : txns) {
                if (!which.test(t)) continue;
                for (Mop m : t.mops()) {
                    if (m instanceof Append a) index.computeIfAbsent(a.key(), k -> new HashMap<>()).put(a.value(), t);
                }
            }
            return index;
        }

        /** G1a: an ok read that contains an element a failed transaction appended. */
        private void abortedReads() {
            var failed = appendIndex(t -> t.op().type() == Op.Type.FAIL);
            for (Txn t : txns) {
                if (!t.op().ok()) continue;
                for (Mop m : t.mops()) {
                    if (!(m instanceof Read r) || r.value() == null) continue;
                    for (Object e : r.value()) {
                        Txn w = failed.getOrDefault(r.key(), Map.of()).get(e);
                        if (w != null) {
                            add("G1a", "T%d read key %s = %s, with %s appended by T%d, which failed".formatted(
                                    t.id(), r.key(), r.value(), e, w.id()), List.of(t, w), keyed(r.key(), e));
                        }
                    }
                }
            }
        }

        /** G1b: an ok read whose last element is an append its transaction followed with another to the key. */
        private void intermediateReads() {
            Map<Object, Map<Object, Txn>> intermediate = TxnHistory.overwrittenWithin(txns, t -> t.mops().stream()
                    .flatMap(m -> m instanceof Append a ? Stream.of(new TxnHistory.Written(a.key(), a.value())) : Stream.empty())
                    .toList());
            for (Txn t : txns) {
                if (!t.op().ok()) continue;
                for (Mop m : t.mops()) {
                    if (!(m instanceof Read r) || r.value() == null || r.value().isEmpty()) continue;
                    Object e = r.value().getLast();
                    Txn w = intermediate.getOrDefault(r.key(), Map.of()).get(e);
                    if (w != null && w != t) {
                        add("G1b", "T%d read key %s = %s, ending in %s, which T%d appended and then appended to again"
                                .formatted(t.id(), r.key(), r.value(), e, w.id()), List.of(t, w), keyed(r.key(), e));
                    }
                }
            }
        }

        /**
         * internal: an ok transaction's read that disagrees with what it read or appended
         * before (after appends alone, the read must end with them); future-read: a read of
         * an element the transaction appends later.
         */
        private void internal() {
            for (Txn t : txns) {
                if (!t.op().ok()) continue;
                // key → what the txn expects to read: the whole list, or (prefixUnknown) its tail
                var expected = new HashMap<Object, List<Object>>();
                var prefixUnknown = new HashSet<Object>();
                var readElements = new HashMap<Object, Set<Object>>();
                for (Mop m : t.mops()) {
                    switch (m) {
                        case Append a -> {
                            if (readElements.getOrDefault(a.key(), Set.of()).contains(a.value())) {
                                add("future-read", "T%d read %s in key %s before it appended it".formatted(t.id(),
                                        a.value(), a.key()), List.of(t), keyed(a.key(), a.value()));
                            }
                            if (!expected.containsKey(a.key())) prefixUnknown.add(a.key());
                            expected.computeIfAbsent(a.key(), k -> new ArrayList<>()).add(a.value());
                        }
                        case Read r -> {
                            List<Object> seen = r.value() == null ? List.of() : r.value();
                            List<Object> want = expected.get(r.key());
                            boolean agrees = want == null || (prefixUnknown.contains(r.key())
                                    ? seen.size() >= want.size()
                                    && seen.subList(seen.size() - want.size(), seen.size()).equals(want)
                                    : seen.equals(want));
                            if (!agrees) {
                                String shown = (prefixUnknown.contains(r.key()) ? "[... " : "[") + join(want) + "]";
                                add("internal", "T%d read key %s = %s where its own earlier micro-ops make it %s"
                                        .formatted(t.id(), r.key(), seen, shown), List.of(t), keyed(r.key(), seen));
                            }
                            expected.put(r.key(), new ArrayList<>(seen));
                            prefixUnknown.remove(r.key());
                            readElements.computeIfAbsent(r.key(), k -> new HashSet<>()).addAll(seen);
                        }
                    }
                }
            }
        }

        /** duplicate-elements: a read list holding an element twice (every element is appended once). */
        private void duplicateElements() {
            for (Txn t : txns) {
                if (!t.possible()) continue;
                for (Mop m : t.mops()) {
                    if (!(m instanceof Read r) || r.value() == null) continue;
                    var seen = new HashSet<>();
                    var twice = new LinkedHashSet<>();
                    for (Object e : r.value()) if (!seen.add(e)) twice.add(e);
                    if (!twice.isEmpty()) {
                        add("duplicate-elements", "T%d read key %s = %s, with %s more than once".formatted(t.id(),
                                r.key(), r.value(), twice), List.of(t), keyed(r.key(), r.value()));
                    }
                }
            }
        }

        /**
         * Per key, the version order: the longest list read by an ok transaction, which every
         * other read must be a prefix of (else incompatible-order); a key never read non-empty
         * but appended to once has that one element.
         */
        private void versionOrders() {
            var reads = new HashMap<Object, Map<List<Object>, Txn>>();
            var appendCount = new HashMap<Object, Integer>();
            var lastAppend = new HashMap<Object, Object>();
            for (Txn t : txns) {
                if (!t.possible()) continue;
                for (Mop m : t.mops()) {
                    if (m instanceof Read r && r.value() != null && !r.value().isEmpty()) {
                        reads.computeIfAbsent(r.key(), k -> new HashMap<>()).putIfAbsent(r.value(), t);
                    } else if (m instanceof Append a) {
                        appendCount.merge(a.key(), 1, Integer::sum);
                        lastAppend.put(a.key(), a.value());
                    }
                }
            }
            appendCount.forEach((k, n) -> {
                if (n == 1 && !reads.containsKey(k)) order.put(k, List.of(lastAppend.get(k)));
            });
            reads.forEach((k, lists) -> {
                var sorted = new ArrayList<>(lists.keySet());
                sorted.sort(Comparator.comparingInt(List::size));
                for (int i = 0; i + 1 < sorted.size(); i++) {
                    List<Object> a = sorted.get(i);
                    List<Object> b = sorted.get(i + 1);
                    if (!b.subList(0, a.size()).equals(a)) {
                        add("incompatible-order", "key %s was read as %s and as %s: neither is a prefix of the other"
                                .formatted(k, a, b), List.of(lists.get(a), lists.get(b)), keyed(k, List.of(a, b)));
                        break;
                    }
                }
                order.put(k, List.copyOf(new LinkedHashSet<>(sorted.getLast())));
            });
            order.forEach((k, elements) -> {
                var index = new HashMap<Object, Integer>();
                for (int i = 0; i < elements.size(); i++) index.put(elements.get(i), i);
                position.put(k, index);
            });
            writer.putAll(appendIndex(Txn::possible));
        }

        /** dirty-update: in a key's version order, an ok append right after a failed one (indefinite ones skipped). */
        private void dirtyUpdates() {
            var all = appendIndex(t -> true);
            order.forEach((k, elements) -> {
                Txn before = null;
                for (Object e : elements) {
                    Txn t = all.getOrDefault(k, Map.of()).get(e);
                    if (t == null || t.op().type() == Op.Type.INFO) continue;
                    if (before != null && before.op().type() == Op.Type.FAIL && t.op().ok()) {
                        add("dirty-update", "key %s: T%d appended %s after an element of T%d, which failed".formatted(
                                k, t.id(), e, before.id()), List.of(before, t), keyed(k, e));
                    }
                    before = t;
                }
            });
        }

        /** lost-update: two ok transactions that read the same state of a key and both appended to it. */
        private void lostUpdates() {
            var byState = new LinkedHashMap<List<Object>, List<Txn>>();
            for (Txn t : txns) {
                if (!t.op().ok()) continue;
                var firstRead = new HashMap<Object, List<Object>>();
                var written = new HashSet<Object>();
                for (Mop m : t.mops()) {
                    if (m instanceof Read r) {
                        firstRead.putIfAbsent(r.key(), r.value() == null ? List.of() : r.value());
                    } else if (m instanceof Append a && firstRead.containsKey(a.key()) && written.add(a.key())) {
                        byState.computeIfAbsent(List.of(a.key(), firstRead.get(a.key())), s -> new ArrayList<>()).add(t);
                    }
                }
            }
            byState.forEach((state, ts) -> {
                if (ts.size() > 1) {
                    add("lost-update", "T%s all read key %s = %s and appended to it".formatted(
                            String.join(", T", ts.stream().map(t -> String.valueOf(t.id())).toList()), state.get(0),
                            state.get(1)), ts, keyed(state.get(0), state.get(1)));
                }
            });
        }

        /** The element appended to {@code key} right before {@code value}, or after the last one read; INIT for none. */
        private Object previous(Object key, Object value) {
            List<Object> elements = order.getOrDefault(key, List.of());
            Integer at = position.getOrDefault(key, Map.of()).get(value);
            if (at == null) return elements.isEmpty() ? INIT : elements.getLast();
            return at == 0 ? INIT : elements.get(at - 1);
        }

        /** ww, wr and rw edges between ok and indefinite transactions. */
        private void dependencies() {
            for (Txn t : txns) {
                if (!t.possible()) continue;
                for (Mop m : t.mops()) {
                    if (!(m instanceof Read r) || (r.value() == null && !t.op().ok())) continue;
                    Object last = r.value() == null || r.value().isEmpty() ? INIT : r.value().getLast();
                    readers.computeIfAbsent(r.key(), k -> new HashMap<>()).computeIfAbsent(last, e -> new LinkedHashSet<>())
                            .add(t);
                }
            }
            for (Txn t : txns) {
                if (!t.possible()) continue;
                for (Mop m : t.mops()) {
                    switch (m) {
                        case Read r -> {
                            if (r.value() == null || r.value().isEmpty()) continue;
                            Txn w = writer.getOrDefault(r.key(), Map.of()).get(r.value().getLast());
                            if (w != null) graph.link(w.id(), t.id(), TxnGraph.WR);
                        }
                        case Append a -> {
                            Object prev = previous(a.key(), a.value());
                            Txn w = prev == INIT ? null : writer.getOrDefault(a.key(), Map.of()).get(prev);
                            if (w != null) graph.link(w.id(), t.id(), TxnGraph.WW);
                            for (Txn reader : readers.getOrDefault(a.key(), Map.of()).getOrDefault(prev, Set.of())) {
                                graph.link(reader.id(), t.id(), TxnGraph.RW);
                            }
                        }
                    }
                }
            }
        }

        /**
         * The order edges the models need: realtime when they forbid a realtime cycle (it
         * covers process order), else process when they forbid a process one, else 0.
         */
        private int extraRels() {
            boolean process = false;
            for (CycleSearch.Shape shape : CycleSearch.Shape.values()) {
                if (forbids(new CycleSearch.Kind(shape, TxnGraph.REALTIME).name())) return TxnGraph.REALTIME;
                process |= forbids(new CycleSearch.Kind(shape, TxnGraph.PROCESS).name());
            }
            return process ? TxnGraph.PROCESS : 0;
        }

        /**
         * Realtime edges, reduced as Elle reduces them: each invocation gets an edge from every
         * ok transaction completed before it that no later-completed one already follows.
         */
        private void realtime() {
            var events = new ArrayList<long[]>(); // time, 0 for a completion or 1 for an invocation, txn id
            for (Txn t : txns) {
                if (!t.possible()) continue;
                events.add(new long[] {t.op().invokedAt(), 1, t.id()});
                if (t.op().ok()) events.add(new long[] {t.op().completedAt(), 0, t.id()});
            }
            // At equal times the invocation goes first: no edge is claimed on a tie.
            events.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> -e[1]));
            var frontier = new LinkedHashSet<Integer>();
            var before = new HashMap<Integer, List<Integer>>();
            for (long[] e : events) {
                int id = (int) e[2];
                if (e[1] == 1) {
                    before.put(id, List.copyOf(frontier));
                    for (int done : frontier) graph.link(done, id, TxnGraph.REALTIME);
                } else {
                    before.getOrDefault(id, List.of()).forEach(frontier::remove);
                    frontier.add(id);
                }
            }
        }

        /** Process edges: each client process's ok transactions in the order it ran them. */
        private void process() {
            var last = new HashMap<Integer, Txn>();
            for (Txn t : txns) {
                if (!t.op().ok()) continue;
                Txn prev = last.put(t.op().process(), t);
                if (prev != null) graph.link(prev.id(), t.id(), TxnGraph.PROCESS);
            }
        }

        private boolean forbids(String anomaly) {
            return Consistency.forbidden(anomaly, models);
        }

        /**
         * Per strongly connected component, the cycles of the forbidden kinds (worst first,
         * skipping those a cycle found implies; {@code extra} is the order the graph has);
         * then, per model, a cycle in its subgraph that no named anomaly explains.
         */
        private void cycles(int extra) {
            long[] invoked = txns.stream().mapToLong(t -> t.op().invokedAt()).toArray();
            long[] completed = txns.stream().mapToLong(t -> t.op().completedAt()).toArray();
            var search = new CycleSearch(graph, invoked, completed, SEARCH_BUDGET);
            var kinds = new ArrayList<CycleSearch.Kind>();
            for (int variant : new int[] {0, TxnGraph.PROCESS, TxnGraph.REALTIME}) {
                for (CycleSearch.Shape shape : CycleSearch.Shape.values()) {
                    var kind = new CycleSearch.Kind(shape, variant);
                    // No such cycle without its order's edges in the graph.
                    if (forbids(kind.name()) && (variant == 0 || variant == extra)) kinds.add(kind);
                }
            }
            List<Set<Integer>> components = graph.components(TxnGraph.ALL, null);
            for (Set<Integer> component : components) {
                var implied = new HashSet<String>();
                for (CycleSearch.Kind kind : kinds) {
                    if (implied.contains(kind.name())) continue;
                    List<CycleSearch.Step> cycle = search.find(kind, component);
                    if (cycle != null) {
                        reportCycle(kind.name(), cycle);
                        implied.addAll(Consistency.impliedBy(kind.name()));
                    }
                }
            }
            if (search.exhausted()) {
                add("cycle-search-timeout", Json.object(), "gave up searching a kind of cycle after %d steps"
                        .formatted(SEARCH_BUDGET));
            }
            var cyclic = new HashSet<Integer>();
            components.forEach(cyclic::addAll);
            if (!cyclic.isEmpty()) cycleExists(cyclic);
        }

        /**
         * For each model the checked ones imply, weakest first, a cycle in its subgraph, unless
         * an anomaly found already rules the model out, or a weaker model's cycle does.
         */
        private void cycleExists(Set<Integer> cyclic) {
            var found = new ArrayList<>(anomalies.keySet());
            var ruledOut = EnumSet.noneOf(Consistency.Model.class);
            for (Consistency.Model m : Consistency.implied(models)) {
                if (ruledOut.contains(m) || found.stream().anyMatch(a -> Consistency.forbidden(a, EnumSet.of(m)))) {
                    continue;
                }
                TxnGraph sub = subgraph(m, cyclic);
                List<Set<Integer>> sccs = sub.components(TxnGraph.ALL, null);
                if (sccs.isEmpty()) continue;
                Set<Integer> smallest = sccs.stream().min(Comparator.comparingInt(Set::size)).orElseThrow();
                var members = smallest.stream().sorted().limit(CASES_KEPT).map(txns::get).toList();
                ObjectNode detail = Json.object().put("scc_size", smallest.size());
                add(m.cycleExists, "a cycle of %d transactions in %s's dependencies that no named cycle explains"
                        .formatted(smallest.size(), m.flag), members, detail);
                for (Consistency.Model stronger : Consistency.Model.values()) {
                    if (Consistency.implied(EnumSet.of(stronger)).contains(m)) ruledOut.add(stronger);
                }
            }
        }

        /**
         * A model's subgraph among the transactions {@code within}: its base edges, and a base
         * step then an extension step as one edge.
         */
        private TxnGraph subgraph(Consistency.Model m, Set<Integer> within) {
            var sub = new TxnGraph();
            for (int v : within) {
                for (int w : graph.successors(v, m.base, within)) {
                    sub.link(v, w, TxnGraph.WW);
                    if (m.extension == 0) continue;
                    for (int x : graph.successors(w, m.extension, within)) sub.link(v, x, TxnGraph.WW);
                }
            }
            return sub;
        }

        private void reportCycle(String type, List<CycleSearch.Step> cycle) {
            ObjectNode detail = Json.object();
            ArrayNode steps = detail.putArray("steps");
            var line = new StringBuilder("a cycle of %d transactions:".formatted(cycle.size()));
            for (CycleSearch.Step s : cycle) {
                Txn from = txns.get(s.from());
                String why = explain(s);
                ObjectNode step = steps.addObject();
                step.set("from", Findings.json(from.op()));
                step.put("rel", relName(s.rel()));
                step.put("why", why);
                line.append(" T%d %s --%s--> (%s)".formatted(from.id(), Findings.describe(from.op()), relName(s.rel()), why));
            }
            line.append(" T").append(cycle.getFirst().from());
            add(type, detail, line.toString());
        }

        private static String relName(int rel) {
            return switch (rel) {
                case TxnGraph.WW -> "ww";
                case TxnGraph.WR -> "wr";
                case TxnGraph.RW -> "rw";
                case TxnGraph.PROCESS -> "process";
                default -> "realtime";
            };
        }

        /** Why the step's edge is there, in Elle's words. */
        private String explain(CycleSearch.Step s) {
            Txn a = txns.get(s.from());
            Txn b = txns.get(s.to());
            for (Mop m : b.mops()) {
                if (s.rel() == TxnGraph.WR && m instanceof Read r && r.value() != null && !r.value().isEmpty()
                        && writer.getOrDefault(r.key(), Map.of()).get(r.value().getLast()) == a) {
                    return "T%d observed T%d's append of %s to key %s".formatted(b.id(), a.id(), r.value().getLast(), r.key());
                }
                if (!(m instanceof Append ap)) continue;
                Object prev = previous(ap.key(), ap.value());
                if (s.rel() == TxnGraph.WW && prev != INIT && writer.getOrDefault(ap.key(), Map.of()).get(prev) == a) {
                    return "T%d appended %s after T%d appended %s to key %s".formatted(b.id(), ap.value(), a.id(), prev,
                            ap.key());
                }
                if (s.rel() == TxnGraph.RW
                        && readers.getOrDefault(ap.key(), Map.of()).getOrDefault(prev, Set.of()).contains(a)) {
                    return prev == INIT
                            ? "T%d observed the initial (nil) state of key %s, which T%d created by appending %s"
                            .formatted(a.id(), ap.key(), b.id(), ap.value())
                            : "T%d did not observe T%d's append of %s to key %s".formatted(a.id(), b.id(), ap.value(),
                            ap.key());
                }
            }
            if (s.rel() == TxnGraph.PROCESS) {
                return "process %d ran T%d before T%d".formatted(a.op().process(), a.id(), b.id());
            }
            return "T%d completed at %.3f s, before T%d was invoked at %.3f s".formatted(a.id(),
                    Findings.seconds(a.op().completedAt()), b.id(), Findings.seconds(b.op().invokedAt()));
        }

        private Verdict result() {
            ObjectNode details = Json.object();
            details.put("txns", txns.size());
            details.put("ok", txns.stream().filter(t -> t.op().ok()).count());
            details.put("consistency_models", String.join(",", models.stream().map(m -> m.flag).toList()));
            ObjectNode reported = details.putObject("anomalies");
            var findings = new ArrayList<String>();
            boolean invalid = false;
            boolean unknown = false;
            for (var entry : anomalies.entrySet()) {
                String type = entry.getKey();
                boolean bad = forbids(type);
                if (!bad && !UNKNOWN.contains(type)) continue;
                invalid |= bad;
                unknown |= !bad;
                ArrayNode cases = reported.putArray(type);
                entry.getValue().forEach(c -> {
                    cases.add(c.detail());
                    findings.add(type + ": " + c.line());
                });
                int more = counts.get(type) - entry.getValue().size();
                if (more > 0) findings.add(type + ": ... and %d more".formatted(more));
            }
            var types = new ArrayList<String>();
            reported.fieldNames().forEachRemaining(types::add);
            details.set("anomaly_types", Json.array().addAll(types.stream().map(TextNode::valueOf).toList()));
            // As Elle's boundary: every model the anomalies found rule out, checked or not.
            ArrayNode ruledOut = details.putArray("ruled_out");
            for (Consistency.Model m : Consistency.Model.values()) {
                if (anomalies.keySet().stream().anyMatch(a -> Consistency.forbidden(a, EnumSet.of(m)))) ruledOut.add(m.flag);
            }
            Verdict.Validity validity = invalid ? Verdict.Validity.INVALID
                    : unknown ? Verdict.Validity.UNKNOWN : Verdict.Validity.VALID;
            return new Verdict(validity, details, findings);
        }
    }

    private static ObjectNode keyed(Object key, Object value) {
        return Json.object().put("key", String.valueOf(key)).put("value", String.valueOf(value));
    }

    private static String join(List<Object> values) {
        return String.join(" ", values.stream().map(String::valueOf).toList());
    }
}
