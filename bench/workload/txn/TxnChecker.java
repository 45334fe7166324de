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
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The txn-rw-register checker: what Elle's rw-register analysis reports for the
 * read-uncommitted and read-committed models, with the options Maelstrom gives it (version
 * orders from the initial nil state and from writes-follow-reads within a transaction;
 * no process or realtime order, which these models do not use).
 *
 * <p>Dependencies: T1 wr→ T2 when T2 externally read the value T1 finally wrote (values are
 * unique per key). Versions: nil precedes every value; a committed transaction that read
 * x=v and then wrote x=v' orders v before v'. From each version edge v→v': writers of v
 * ww→ writers of v', readers of v rw→ writers of v'. Anomalies, per model:
 * <ul>
 *   <li>G0 (both models): a cycle of ww edges;</li>
 *   <li>cyclic-versions (both): the version order itself has a cycle (Elle then drops the
 *       writes-follow-reads versions, as it does);</li>
 *   <li>G1a (read-committed): a committed read of a value written only by a failed txn;</li>
 *   <li>G1b (read-committed): a committed read of a value its writer overwrote in the same txn;</li>
 *   <li>G1c (read-committed): a cycle of ww and wr edges with at least one wr;</li>
 *   <li>empty-transaction-graph: no dependency at all, which Maelstrom counts as invalid.</li>
 * </ul>
 * As Elle, one cycle is reported per strongly connected component and anomaly, and a
 * component with a G0 is not searched again for G1c (G0 implies G1c).
 */
final class TxnChecker {

    /** The consistency models this checker can judge, with Maelstrom's names. */
    enum Model {
        /** Adya PL-1: no G0 (and no cyclic versions). */
        READ_UNCOMMITTED("read-uncommitted"),
        /** Adya PL-2: no G0, G1a, G1b, G1c. */
        READ_COMMITTED("read-committed");

        /** The name on Maelstrom's command line. */
        final String flag;

        Model(String flag) {
            this.flag = flag;
        }

        /** The model named on the command line; anything else is refused rather than silently unchecked. */
        static Model of(String flag) {
            for (Model m : values()) if (m.flag.equals(flag)) return m;
            throw new IllegalArgumentException("txn-rw-register: the bench checks read-uncommitted and read-committed, not "
                    + flag);
        }
    }

    /** A micro-op of a transaction. */
    sealed interface Mop permits Read, Write {
        /** The key it touches. */
        Object key();
    }

    /** A read of {@code key}; {@code value} is null for the initial state or when not known. */
    record Read(Object key, Object value) implements Mop {
    }

    /** A write of {@code value} to {@code key}. */
    record Write(Object key, Object value) implements Mop {
    }

    /** A transaction: its position in the history, its operation, and its micro-ops as completed. */
    record Txn(int id, Op op, List<Mop> mops) {
        /** Its external reads: the first micro-op on each key, when that is a read. */
        Map<Object, Object> extReads() {
            var reads = new LinkedHashMap<Object, Object>();
            var seen = new HashSet<Object>();
            for (Mop mop : mops) {
                if (seen.add(mop.key()) && mop instanceof Read r) reads.put(r.key(), r.value());
            }
            return reads;
        }

        /** Its external writes: the last value written to each key. */
        Map<Object, Object> extWrites() {
            var writes = new LinkedHashMap<Object, Object>();
            for (Mop mop : mops) if (mop instanceof Write w) writes.put(w.key(), w.value());
            return writes;
        }
    }

    private final Set<Model> models;

    /** A checker for every one of the given models. */
    TxnChecker(Set<Model> models) {
        if (models.isEmpty()) throw new IllegalArgumentException("no consistency model to check");
        this.models = EnumSet.copyOf(models);
    }

    private boolean readCommitted() {
        return models.contains(Model.READ_COMMITTED);
    }

    /** Judges a history of txn operations. */
    Verdict check(List<Op> history) {
        List<Txn> txns = TxnHistory.parse(history, TxnChecker::mops, Txn::new);
        var findings = new ArrayList<String>();
        ObjectNode details = Json.object();
        details.put("txns", txns.size());
        details.put("ok", txns.stream().filter(t -> t.op().ok()).count());
        details.put("consistency_models", String.join(",", models.stream().map(m -> m.flag).toList()));
        ObjectNode anomalies = details.putObject("anomalies");
        boolean unknown = false;

        if (readCommitted()) {
            abortedReads(txns, anomalies, findings);
            intermediateReads(txns, anomalies, findings);
        }
        var versions = versionOrders(txns, anomalies, findings);
        TxnGraph graph = new TxnGraph();
        try {
            wrEdges(txns, graph);
        } catch (IllegalStateException e) {
            // Elle throws here; Jepsen turns a checker crash into an unknown verdict.
            unknown = true;
            findings.add("unknown: " + e.getMessage());
            details.put("error", e.getMessage());
        }
        versionEdges(txns, versions, graph);
        if (graph.isEmpty()) {
            anomalies.put("empty-transaction-graph", true);
            findings.add("empty-transaction-graph: no transaction depends on another (no ok txn read another's write)");
        }
        cycles(txns, graph, anomalies, findings);

        var types = new ArrayList<String>();
        anomalies.fieldNames().forEachRemaining(types::add);
        details.set("anomaly_types", Json.array().addAll(types.stream().map(TextNode::valueOf).toList()));
        Verdict.Validity validity = !types.isEmpty() ? Verdict.Validity.INVALID
                : unknown ? Verdict.Validity.UNKNOWN : Verdict.Validity.VALID;
        return new Verdict(validity, details, findings);
    }

    /** Micro-ops from their JSON form [["r",k,v],["w",k,v]], or null when malformed. */
    private static List<Mop> mops(JsonNode txn) {
        if (txn == null || !txn.isArray()) return null;
        var mops = new ArrayList<Mop>();
        for (JsonNode mop : txn) {
            if (!mop.isArray() || mop.size() != 3) return null;
            Object key = Findings.plain(mop.get(1));
            Object value = Findings.plain(mop.get(2));
            switch (mop.get(0).asText()) {
                case "r" -> mops.add(new Read(key, value));
                case "w" -> mops.add(new Write(key, value));
                default -> {
                    return null;
                }
            }
        }
        return mops;
    }

    /** G1a: an ok txn read a value that some failed txn wrote (any of its writes). */
    private void abortedReads(List<Txn> txns, ObjectNode anomalies, List<String> findings) {
        var failedWriter = new HashMap<Object, Map<Object, Txn>>();
        for (Txn t : txns) {
            if (t.op().type() != Op.Type.FAIL) continue;
            for (Mop mop : t.mops()) {
                if (mop instanceof Write w) failedWriter.computeIfAbsent(w.key(), k -> new HashMap<>()).put(w.value(), t);
            }
        }
        for (Txn t : txns) {
            if (!t.op().ok()) continue;
            for (Mop mop : t.mops()) {
                if (!(mop instanceof Read r) || r.value() == null) continue;
                Txn writer = failedWriter.getOrDefault(r.key(), new HashMap<>()).get(r.value());
                if (writer != null) {
                    report(anomalies, findings, "G1a", readCase(t, r, writer),
                            "T%d read key %s = %s, written by T%d which failed: reader %s, writer %s".formatted(
                                    t.id(), r.key(), r.value(), writer.id(), Findings.describe(t.op()),
                                    Findings.describe(writer.op())));
                }
            }
        }
    }

    /** G1b: an ok txn read a value that its writer (another txn, of any outcome) overwrote within itself. */
    private void intermediateReads(List<Txn> txns, ObjectNode anomalies, List<String> findings) {
        Map<Object, Map<Object, Txn>> intermediateWriter = TxnHistory.overwrittenWithin(txns, t -> t.mops().stream()
                .flatMap(m -> m instanceof Write w ? Stream.of(new TxnHistory.Written(w.key(), w.value())) : Stream.empty())
                .toList());
        for (Txn t : txns) {
            if (!t.op().ok()) continue;
            for (Mop mop : t.mops()) {
                if (!(mop instanceof Read r) || r.value() == null) continue;
                Txn writer = intermediateWriter.getOrDefault(r.key(), new HashMap<>()).get(r.value());
                if (writer != null && writer != t) {
                    report(anomalies, findings, "G1b", readCase(t, r, writer),
                            "T%d read key %s = %s, an intermediate value T%d overwrote before it finished: reader %s, writer %s"
                                    .formatted(t.id(), r.key(), r.value(), writer.id(), Findings.describe(t.op()),
                                            Findings.describe(writer.op())));
                }
            }
        }
    }

    private static ObjectNode readCase(Txn reader, Read read, Txn writer) {
        ObjectNode node = Json.object();
        node.put("key", String.valueOf(read.key()));
        node.put("value", String.valueOf(read.value()));
        node.set("reader", Findings.json(reader.op()));
        node.set("writer", Findings.json(writer.op()));
        return node;
    }

    /**
     * Per key, the version graph (value → later values, null standing for the initial
     * state): nil before every value ok or info txns wrote and ok txns read, plus the
     * writes-follow-reads edges of ok txns, unless those make a cycle: then, as Elle, the
     * cycle is reported and the writes-follow-reads edges are left out altogether.
     */
    private Map<Object, Map<Object, Set<Object>>> versionOrders(List<Txn> txns, ObjectNode anomalies,
                                                                List<String> findings) {
        var initial = new LinkedHashMap<Object, Map<Object, Set<Object>>>();
        var wfr = new LinkedHashMap<Object, Map<Object, Set<Object>>>();
        for (Txn t : txns) {
            if (t.op().type() == Op.Type.FAIL) continue;
            var values = new ArrayList<Map.Entry<Object, Object>>(t.extWrites().entrySet());
            if (t.op().ok()) values.addAll(t.extReads().entrySet());
            for (var kv : values) {
                if (kv.getValue() != null) addVersion(initial, kv.getKey(), null, kv.getValue());
            }
            if (!t.op().ok()) continue;
            var writes = t.extWrites();
            t.extReads().forEach((k, v) -> {
                if (v != null && writes.containsKey(k)) addVersion(wfr, k, v, writes.get(k));
            });
        }
        var combined = new LinkedHashMap<Object, Map<Object, Set<Object>>>();
        for (var source : List.of(initial, wfr)) {
            source.forEach((k, edges) -> edges.forEach((v, later) -> later.forEach(w -> addVersion(combined, k, v, w))));
        }
        boolean cyclic = false;
        for (var entry : combined.entrySet()) {
            for (Set<Object> cycle : versionCycles(entry.getValue())) {
                cyclic = true;
                ObjectNode node = Json.object();
                node.put("key", String.valueOf(entry.getKey()));
                ArrayNode values = node.putArray("values");
                cycle.forEach(v -> values.add(String.valueOf(v)));
                report(anomalies, findings, "cyclic-versions", node,
                        "key %s: the versions %s each come before another (from reads then writes within txns)"
                                .formatted(entry.getKey(), cycle));
            }
        }
        return cyclic ? initial : combined;
    }

    private static void addVersion(Map<Object, Map<Object, Set<Object>>> graphs, Object key, Object from, Object to) {
        if (Objects.equals(from, to)) return;
        graphs.computeIfAbsent(key, k -> new LinkedHashMap<>()).computeIfAbsent(from, v -> new LinkedHashSet<>()).add(to);
    }

    /** The cycles (components of more than one version) in one key's version graph. */
    private static List<Set<Object>> versionCycles(Map<Object, Set<Object>> edges) {
        var ids = new HashMap<Object, Integer>();
        var names = new ArrayList<Object>();
        TxnGraph graph = new TxnGraph();
        edges.forEach((from, tos) -> tos.forEach(to -> graph.link(id(ids, names, from), id(ids, names, to), TxnGraph.WW)));
        var cycles = new ArrayList<Set<Object>>();
        for (Set<Integer> component : graph.components(TxnGraph.WW, null)) {
            var values = new LinkedHashSet<Object>();
            component.forEach(i -> values.add(names.get(i)));
            cycles.add(values);
        }
        return cycles;
    }

    private static int id(Map<Object, Integer> ids, List<Object> names, Object value) {
        return ids.computeIfAbsent(value, v -> {
            names.add(v);
            return names.size() - 1;
        });
    }

    /** wr: the ok txn that finally wrote a value → each ok txn that externally read it. */
    private static void wrEdges(List<Txn> txns, TxnGraph graph) {
        var writers = extIndex(txns, false);
        for (Txn reader : txns) {
            if (!reader.op().ok()) continue;
            reader.extReads().forEach((k, v) -> {
                List<Txn> ws = lookup(writers, k, v);
                if (ws.size() > 1) {
                    throw new IllegalStateException("key %s had value %s written by more than one txn: T%d and T%d"
                            .formatted(k, v, ws.get(0).id(), ws.get(1).id()));
                }
                if (ws.size() == 1) graph.link(ws.get(0).id(), reader.id(), TxnGraph.WR);
            });
        }
    }

    /** ww and rw edges from each version edge v→v': ok writers of v → ok writers of v', ok readers of v → ok writers of v'. */
    private static void versionEdges(List<Txn> txns, Map<Object, Map<Object, Set<Object>>> versions, TxnGraph graph) {
        var writers = extIndex(txns, false);
        var readers = extIndex(txns, true);
        versions.forEach((k, edges) -> edges.forEach((v1, later) -> later.forEach(v2 -> {
            for (Txn w2 : lookup(writers, k, v2)) {
                for (Txn w1 : lookup(writers, k, v1)) graph.link(w1.id(), w2.id(), TxnGraph.WW);
                for (Txn r1 : lookup(readers, k, v1)) graph.link(r1.id(), w2.id(), TxnGraph.RW);
            }
        })));
    }

    /** The txns an ext index holds for a key and value (which may be null, the initial state). */
    private static List<Txn> lookup(Map<Object, Map<Object, List<Txn>>> index, Object key, Object value) {
        Map<Object, List<Txn>> byValue = index.get(key);
        List<Txn> txns = byValue == null ? null : byValue.get(value);
        return txns == null ? List.of() : txns;
    }

    /** key → value → the ok txns that externally wrote (or, with {@code reads}, externally read) it. */
    private static Map<Object, Map<Object, List<Txn>>> extIndex(List<Txn> txns, boolean reads) {
        var index = new HashMap<Object, Map<Object, List<Txn>>>();
        for (Txn t : txns) {
            if (!t.op().ok()) continue;
            (reads ? t.extReads() : t.extWrites()).forEach((k, v) ->
                    index.computeIfAbsent(k, x -> new HashMap<>()).computeIfAbsent(v, x -> new ArrayList<>()).add(t));
        }
        return index;
    }

    /** G0 and (read-committed) G1c: one cycle per strongly connected component of the whole graph. */
    private void cycles(List<Txn> txns, TxnGraph graph, ObjectNode anomalies, List<String> findings) {
        int all = TxnGraph.WW | TxnGraph.WR | TxnGraph.RW;
        for (Set<Integer> component : graph.components(all, null)) {
            List<Integer> cycle = cycleWith(graph, TxnGraph.WW, TxnGraph.WW, component);
            String type = "G0";
            if (cycle == null && readCommitted()) {
                cycle = cycleWith(graph, TxnGraph.WW | TxnGraph.WR, TxnGraph.WR, component);
                type = "G1c";
            }
            if (cycle != null) reportCycle(txns, graph, type, cycle, anomalies, findings);
        }
    }

    /**
     * A cycle inside {@code component} made of edges with relations in {@code mask},
     * starting with an edge carrying {@code required} and shortest among those through
     * that edge, as the list of its vertices (the first follows the last), or null.
     */
    private static List<Integer> cycleWith(TxnGraph graph, int mask, int required, Set<Integer> component) {
        for (Set<Integer> sub : graph.components(mask, component)) {
            for (int from : sub) {
                for (int to : graph.successors(from, required, sub)) {
                    // Inside a strongly connected component every edge lies on a cycle.
                    List<Integer> back = graph.shortestPath(to, from, mask, sub);
                    var cycle = new ArrayList<>(List.of(from));
                    cycle.addAll(back.subList(0, back.size() - 1));
                    return cycle;
                }
            }
        }
        return null;
    }

    private static void reportCycle(List<Txn> txns, TxnGraph graph, String type, List<Integer> cycle,
                                    ObjectNode anomalies, List<String> findings) {
        ObjectNode node = Json.object();
        ArrayNode steps = node.putArray("steps");
        var text = new StringBuilder(type + ": ");
        for (int i = 0; i < cycle.size(); i++) {
            Txn a = txns.get(cycle.get(i));
            Txn b = txns.get(cycle.get((i + 1) % cycle.size()));
            String rel = relName(graph.rels(a.id(), b.id()), type);
            ObjectNode step = steps.addObject();
            step.set("from", Findings.json(a.op()));
            step.put("rel", rel);
            text.append("T%d %s --%s--> ".formatted(a.id(), Findings.describe(a.op()), rel));
        }
        text.append("T").append(cycle.getFirst());
        report(anomalies, findings, type, node, text.toString());
    }

    /** The relation a cycle of this type used on an edge: wr when it has it in a G1c, else ww. */
    private static String relName(int rels, String type) {
        return type.equals("G1c") && (rels & TxnGraph.WR) != 0 ? "wr" : "ww";
    }

    private static void report(ObjectNode anomalies, List<String> findings, String type, ObjectNode detail,
                               String line) {
        ((ArrayNode) (anomalies.has(type) ? anomalies.get(type) : anomalies.putArray(type))).add(detail);
        findings.add(line.startsWith(type) ? line : type + ": " + line);
    }
}
