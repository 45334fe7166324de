package bench.workload.txn;

import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The consistency models the list-append checker judges, and the anomalies each one
 * forbids, as Elle's {@code elle.consistency-model} relates them (Adya's PL levels, Bailis
 * and Cerone for the rest): a model forbids the anomalies it names, those of every model it
 * implies, and every anomaly that implies one of those. Only the models and anomalies the
 * checker can meet are here.
 *
 * <p>Strict serializability is serializability plus realtime order: it alone forbids the
 * {@code -realtime} cycles (a transaction that began after another ended, yet is ordered
 * before it), which is the difference between the two.
 */
final class Consistency {

    /** Each anomaly's direct implications: a history with the key has the values too. */
    private static final Map<String, List<String>> IMPLIES = Map.ofEntries(
            Map.entry("G0", List.of("G1c", "G0-process")),
            Map.entry("G0-process", List.of("G1c-process", "G0-realtime")),
            Map.entry("G0-realtime", List.of("G1c-realtime")),
            Map.entry("G1a", List.of("G1")),
            Map.entry("G1b", List.of("G1")),
            Map.entry("G1c", List.of("G1", "G1c-process")),
            Map.entry("G1c-process", List.of("G1c-realtime", "G1-process")),
            Map.entry("G1c-realtime", List.of("G1-realtime")),
            Map.entry("G1", List.of("G1-process")),
            Map.entry("G1-process", List.of("G1-realtime")),
            Map.entry("G-single-item", List.of("G-single", "G-single-item-process", "G-nonadjacent-item")),
            Map.entry("G-single-item-process", List.of("G-single-process", "G-single-item-realtime",
                    "G-nonadjacent-item-process")),
            Map.entry("G-single-item-realtime", List.of("G-single-realtime", "G-nonadjacent-item-realtime")),
            Map.entry("G-single", List.of("G-nonadjacent", "G-single-process")),
            Map.entry("G-single-process", List.of("G-nonadjacent-process", "G-single-realtime")),
            Map.entry("G-single-realtime", List.of("G-nonadjacent-realtime")),
            Map.entry("G-nonadjacent-item", List.of("G-nonadjacent", "G2-item", "G-nonadjacent-item-process")),
            Map.entry("G-nonadjacent-item-process", List.of("G-nonadjacent-process", "G2-item-process",
                    "G-nonadjacent-item-realtime")),
            Map.entry("G-nonadjacent-item-realtime", List.of("G2-item-realtime", "G-nonadjacent-realtime")),
            Map.entry("G-nonadjacent", List.of("G2", "G-nonadjacent-process")),
            Map.entry("G-nonadjacent-process", List.of("G2-process", "G-nonadjacent-realtime")),
            Map.entry("G-nonadjacent-realtime", List.of("G2-realtime")),
            Map.entry("G2", List.of("G2-process")),
            Map.entry("G2-item", List.of("G2", "G2-item-process")),
            Map.entry("G2-item-process", List.of("G2-process", "G2-item-realtime")),
            Map.entry("G2-item-realtime", List.of("G2-realtime")),
            Map.entry("G2-process", List.of("G2-realtime")),
            // Two committed reads that no single order of appends explains: one saw a dirty state.
            Map.entry("incompatible-order", List.of("G1a")),
            // A read of the transaction's own later append: a cycle of one transaction.
            Map.entry("future-read", List.of("G1c")),
            Map.entry("dirty-update", List.of("G1a")),
            Map.entry("lost-update", List.of("G2-item")));

    /** Rel masks of {@link TxnGraph}, for the subgraphs below. */
    private static final int WW = TxnGraph.WW;
    private static final int WR = TxnGraph.WR;
    private static final int RW = TxnGraph.RW;
    private static final int P = TxnGraph.PROCESS;
    private static final int RT = TxnGraph.REALTIME;

    /**
     * A consistency model, with Maelstrom's name, the name Elle gives its cycle-exists
     * anomaly, the models it implies, what it forbids besides theirs, and the subgraph that
     * must be acyclic under it: edges of {@code base}, plus (when {@code extension} is not
     * 0) a step of {@code base} followed by one of {@code extension}, which is how snapshot
     * isolation lets cycles through non-adjacent rw edges only.
     */
    enum Model {
        /** Adya PL-1. */
        READ_UNCOMMITTED("read-uncommitted", "PL-1", List.of(), List.of("G0", "duplicate-elements"), WW, 0),
        /** Adya PL-2. */
        READ_COMMITTED("read-committed", "PL-2", List.of("read-uncommitted"), List.of("G1"), WW | WR, 0),
        /** Adya PL-2.99 (with cursor stability's lost update). */
        REPEATABLE_READ("repeatable-read", "PL-2.99", List.of("read-committed"),
                List.of("G1", "G2-item", "lost-update"), WW | WR | RW, 0),
        /** Adya PL-SI, with the weaker models it implies (consistent view, read atomic, prefix, update atomic). */
        SNAPSHOT_ISOLATION("snapshot-isolation", "PL-SI", List.of("read-committed"),
                List.of("internal", "G1", "G-single", "G-nonadjacent", "lost-update", "future-read"), WW | WR, RW),
        /** Adya PL-3 (conflict serializability). */
        SERIALIZABLE("serializable", "PL-3", List.of("repeatable-read", "snapshot-isolation"),
                List.of("internal", "G1", "G2"), WW | WR | RW, 0),
        /** PL-1 along each process's order. */
        STRONG_SESSION_READ_UNCOMMITTED("strong-session-read-uncommitted", "strong-session-PL-1",
                List.of("read-uncommitted"), List.of("G0-process"), WW | P, 0),
        /** PL-2 along each process's order. */
        STRONG_SESSION_READ_COMMITTED("strong-session-read-committed", "strong-session-PL-2",
                List.of("read-committed", "strong-session-read-uncommitted"), List.of("G1c-process"), WW | WR | P, 0),
        /** PL-1 in realtime order. */
        STRONG_READ_UNCOMMITTED("strong-read-uncommitted", "strong-PL-1", List.of("strong-session-read-uncommitted"),
                List.of("G0-realtime"), WW | RT, 0),
        /** PL-2 in realtime order. */
        STRONG_READ_COMMITTED("strong-read-committed", "strong-PL-2",
                List.of("strong-session-read-committed", "strong-read-uncommitted"), List.of("G1c-realtime"),
                WW | WR | RT, 0),
        /** Snapshot isolation along each process's order. */
        STRONG_SESSION_SNAPSHOT_ISOLATION("strong-session-snapshot-isolation", "strong-session-snapshot-isolation",
                List.of("snapshot-isolation", "strong-session-read-committed"),
                List.of("internal", "G1-process", "G-nonadjacent-process"), WW | WR | P, RW),
        /** Snapshot isolation in realtime order. */
        STRONG_SNAPSHOT_ISOLATION("strong-snapshot-isolation", "strong-snapshot-isolation",
                List.of("strong-session-snapshot-isolation", "strong-read-committed"),
                List.of("internal", "G1-realtime", "G-nonadjacent-realtime"), WW | WR | RT, RW),
        /** Serializability along each process's order. */
        STRONG_SESSION_SERIALIZABLE("strong-session-serializable", "strong-session-serializable",
                List.of("serializable", "strong-session-snapshot-isolation"), List.of("G1-process", "G2-process"),
                WW | WR | RW | P, 0),
        /** Adya PL-SS: serializability in realtime order. */
        STRICT_SERIALIZABLE("strict-serializable", "PL-SS",
                List.of("serializable", "strong-snapshot-isolation", "strong-session-serializable"),
                List.of("G1", "G1c-realtime", "G2-realtime"), WW | WR | RW | RT, 0);

        /** The name on Maelstrom's command line. */
        final String flag;
        /** The anomaly a cycle in this model's subgraph is reported as, when no named cycle explains it. */
        final String cycleExists;
        private final List<String> implies;
        private final List<String> forbids;
        /** Relations of the subgraph that must be acyclic. */
        final int base;
        /** Relations that may follow a {@link #base} step in that subgraph, or 0. */
        final int extension;

        Model(String flag, String canonical, List<String> implies, List<String> forbids, int base, int extension) {
            this.flag = flag;
            this.cycleExists = canonical + "-cycle-exists";
            this.implies = implies;
            this.forbids = forbids;
            this.base = base;
            this.extension = extension;
        }

        /** The model named on the command line; anything else is refused rather than silently unchecked. */
        static Model of(String flag) {
            for (Model m : values()) if (m.flag.equals(flag)) return m;
            throw new IllegalArgumentException("txn-list-append: the bench checks " + names() + ", not " + flag);
        }

        private static List<String> names() {
            return EnumSet.allOf(Model.class).stream().map(m -> m.flag).toList();
        }
    }

    private Consistency() {
    }

    /** The models given and every model they imply. */
    static Set<Model> implied(Set<Model> models) {
        var all = EnumSet.noneOf(Model.class);
        var todo = new ArrayDeque<>(models);
        while (!todo.isEmpty()) {
            Model m = todo.poll();
            if (all.add(m)) m.implies.forEach(name -> todo.add(Model.of(name)));
        }
        return all;
    }

    /** An anomaly and every anomaly it implies. */
    static Set<String> impliedBy(String anomaly) {
        var all = new LinkedHashSet<String>();
        var todo = new ArrayDeque<String>(List.of(anomaly));
        while (!todo.isEmpty()) {
            String a = todo.poll();
            if (all.add(a)) todo.addAll(IMPLIES.getOrDefault(a, List.of()));
        }
        return all;
    }

    /** Whether {@code anomaly} rules out one of {@code models} (it, or an anomaly it implies, is forbidden). */
    static boolean forbidden(String anomaly, Set<Model> models) {
        Set<String> consequences = impliedBy(anomaly);
        for (Model m : implied(models)) {
            if (consequences.contains(m.cycleExists) || m.forbids.stream().anyMatch(consequences::contains)) return true;
        }
        return false;
    }
}
