package bench.workload.txn;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds a cycle of one named kind in a strongly connected part of a dependency graph,
 * as Elle's cycle search does with its anomaly specs. A kind is a shape of data edges
 * (G0 only ww; G1c ww and wr with some wr; G-single-item exactly one rw; G-nonadjacent-item
 * two or more rw, no two in a row; G2-item two or more rw, two in a row), optionally with
 * at least one process or realtime edge (the {@code -process} and {@code -realtime} forms).
 *
 * <p>The search is a breadth-first search over pairs of (transaction, progress through the
 * shape), from a transaction back to it: the first closed walk found that visits no
 * transaction twice is the shortest such cycle through it. Every cycle has an edge to a
 * transaction invoked earlier than its source, so the searches start from the sources of
 * such edges, the edges that go furthest back in time first: in a history that is mostly
 * in order those are few, and the anomalies are around them. A budget of steps per kind
 * bounds the work on large components (Elle bounds it by time).
 */
final class CycleSearch {

    /** The data-edge shapes, in Elle's order of severity. */
    enum Shape {
        /** A cycle of ww edges. */
        G0("G0", TxnGraph.WW),
        /** ww and wr edges, at least one wr. */
        G1C("G1c", TxnGraph.WW | TxnGraph.WR),
        /** ww and wr edges and exactly one rw. */
        G_SINGLE("G-single-item", TxnGraph.WW | TxnGraph.WR),
        /** ww and wr edges and two or more rw edges, none right after another. */
        G_NONADJACENT("G-nonadjacent-item", TxnGraph.WW | TxnGraph.WR),
        /** ww, wr and two or more rw edges, two of them in a row. */
        G2_ITEM("G2-item", TxnGraph.WW | TxnGraph.WR);

        /** Elle's name for the anomaly. */
        final String anomaly;
        /** The relations any step may take besides rw, which each shape counts itself. */
        final int free;

        Shape(String anomaly, int free) {
            this.anomaly = anomaly;
            this.free = free;
        }

        boolean takesRw() {
            return this != G0 && this != G1C;
        }
    }

    /**
     * One kind of cycle to look for.
     *
     * @param shape   its data edges
     * @param variant {@link TxnGraph#PROCESS} or {@link TxnGraph#REALTIME} when it needs at least one such edge, else 0
     */
    record Kind(Shape shape, int variant) {
        /** Elle's name for it: "G-single-item-realtime". */
        String name() {
            return shape.anomaly + switch (variant) {
                case TxnGraph.PROCESS -> "-process";
                case TxnGraph.REALTIME -> "-realtime";
                default -> "";
            };
        }

        /** Every relation a step of this kind may take. */
        int rels() {
            return shape.free | variant | (shape.takesRw() ? TxnGraph.RW : 0);
        }
    }

    /**
     * One step of a cycle.
     *
     * @param from the transaction the edge leaves
     * @param to   the transaction it reaches
     * @param rel  the one relation the cycle takes along it
     */
    record Step(int from, int to, int rel) {
    }

    // Progress through a shape, packed in the low bits of a search state.
    private static final int RW_ONE = 1;          // rw edges taken: 0, 1, or 2 for two or more
    private static final int RW_MASK = 3;
    private static final int LAST_RW = 4;
    private static final int FIRST_RW = 8;
    private static final int ADJACENT_RW = 16;
    private static final int WR_TAKEN = 32;
    private static final int VARIANT_TAKEN = 64;
    private static final int STARTED = 128;
    private static final int STATE_BITS = 8;

    private final TxnGraph graph;
    private final long[] invoked;
    private final long[] completed;
    private final long budgetPerKind;
    private long budget;
    private boolean exhausted;

    /**
     * A search in {@code graph}, whose vertex i was invoked at {@code invoked[i]} and
     * completed at {@code completed[i]}, that gives up a kind after {@code budgetPerKind} steps.
     */
    CycleSearch(TxnGraph graph, long[] invoked, long[] completed, long budgetPerKind) {
        this.graph = graph;
        this.invoked = invoked;
        this.completed = completed;
        this.budgetPerKind = budgetPerKind;
    }

    /** Whether a search gave up before it was done. */
    boolean exhausted() {
        return exhausted;
    }

    /**
     * A cycle of {@code kind} inside {@code component}, as its steps from the first
     * transaction back to it, or null when there is none (or the budget ran out).
     */
    List<Step> find(Kind kind, Set<Integer> component) {
        budget = budgetPerKind;
        for (Set<Integer> part : graph.components(kind.rels(), component)) {
            for (int start : starts(kind, part)) {
                List<Step> cycle = from(start, kind, part);
                if (cycle != null) return cycle;
                if (budget <= 0) {
                    exhausted = true;
                    return null;
                }
            }
        }
        return null;
    }

    /**
     * The sources of the edges in {@code part} to a transaction invoked earlier, the
     * furthest back first (by how long before the source's invocation the target completed).
     */
    private List<Integer> starts(Kind kind, Set<Integer> part) {
        var back = new HashMap<Integer, Long>();
        for (int v : part) {
            for (int w : graph.successors(v, kind.rels(), part)) {
                if (invoked[w] < invoked[v]) back.merge(v, invoked[v] - completed[w], Math::max);
            }
        }
        var starts = new ArrayList<>(back.keySet());
        starts.sort((a, b) -> Long.compare(back.get(b), back.get(a)));
        if (starts.isEmpty()) starts.addAll(part); // invocations at the same instant: any transaction may start a cycle
        return starts;
    }

    /** The shortest simple cycle of {@code kind} through {@code start}. */
    private List<Step> from(int start, Kind kind, Set<Integer> part) {
        // state key: vertex << STATE_BITS | progress; parent: the previous key << 8 | the relation taken
        var parent = new HashMap<Long, Long>();
        var queue = new ArrayDeque<Long>();
        queue.add((long) start << STATE_BITS);
        while (!queue.isEmpty() && budget-- > 0) {
            long key = queue.poll();
            int v = (int) (key >>> STATE_BITS);
            int progress = (int) (key & ((1 << STATE_BITS) - 1));
            for (int w : graph.successors(v, kind.rels(), part)) {
                int rels = graph.rels(v, w) & kind.rels();
                for (int rel = 1; rel <= rels; rel <<= 1) {
                    if ((rels & rel) == 0) continue;
                    int next = step(kind, progress, rel);
                    if (next < 0) continue;
                    long nextKey = (long) w << STATE_BITS | next;
                    if (w == start) {
                        if (!accepts(kind, next)) continue;
                        List<Step> cycle = walk(parent, key, start);
                        cycle.add(new Step(v, w, rel));
                        if (simple(cycle)) return cycle;
                    } else if (!parent.containsKey(nextKey)) {
                        parent.put(nextKey, key << 8 | rel);
                        queue.add(nextKey);
                    }
                }
            }
        }
        return null;
    }

    /** The progress after taking {@code rel}, or -1 when the shape cannot take it here. */
    private static int step(Kind kind, int progress, int rel) {
        boolean rw = rel == TxnGraph.RW;
        int rws = progress & RW_MASK;
        boolean lastRw = (progress & LAST_RW) != 0;
        if (rw) {
            switch (kind.shape()) {
                case G_SINGLE -> {
                    if (rws >= 1) return -1;
                }
                case G_NONADJACENT -> {
                    if (lastRw) return -1;
                }
                default -> {
                }
            }
        }
        int next = STARTED | (progress & (FIRST_RW | ADJACENT_RW | WR_TAKEN | VARIANT_TAKEN));
        next |= Math.min(2, rws + (rw ? RW_ONE : 0));
        if (rw) next |= LAST_RW;
        if (rw && lastRw) next |= ADJACENT_RW;
        if (rw && (progress & STARTED) == 0) next |= FIRST_RW;
        if (rel == TxnGraph.WR) next |= WR_TAKEN;
        if (rel == kind.variant()) next |= VARIANT_TAKEN;
        return next;
    }

    /** Whether a closed walk that ends in {@code progress} is a cycle of the kind. */
    private static boolean accepts(Kind kind, int progress) {
        if (kind.variant() != 0 && (progress & VARIANT_TAKEN) == 0) return false;
        int rws = progress & RW_MASK;
        // The last edge and the first are adjacent too.
        boolean wrapAdjacent = (progress & LAST_RW) != 0 && (progress & FIRST_RW) != 0;
        boolean adjacent = (progress & ADJACENT_RW) != 0 || wrapAdjacent;
        return switch (kind.shape()) {
            case G0 -> true;
            case G1C -> (progress & WR_TAKEN) != 0;
            case G_SINGLE -> rws == 1;
            case G_NONADJACENT -> rws == 2 && !adjacent;
            case G2_ITEM -> rws == 2 && adjacent;
        };
    }

    /** The steps from the search's start to the state {@code key}. */
    private static List<Step> walk(HashMap<Long, Long> parent, long key, int start) {
        var steps = new ArrayList<Step>();
        long at = key;
        while ((at & ((1 << STATE_BITS) - 1)) != 0) {
            long p = parent.get(at);
            long prev = p >>> 8;
            steps.addFirst(new Step((int) (prev >>> STATE_BITS), (int) (at >>> STATE_BITS), (int) (p & 0xff)));
            at = prev;
        }
        return steps;
    }

    private static boolean simple(List<Step> cycle) {
        var seen = new HashSet<Integer>();
        for (Step s : cycle) if (!seen.add(s.from())) return false;
        return true;
    }
}
