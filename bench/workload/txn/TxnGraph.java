package bench.workload.txn;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A directed graph between integer vertices whose edges carry a set of relations
 * (bit flags), with what Elle's cycle search needs: strongly connected components of
 * the subgraph made of some relations, and shortest paths inside a component.
 */
final class TxnGraph {

    /** Write-write: the source wrote a version the target's write came after. */
    static final int WW = 1;
    /** Write-read: the target read what the source wrote. */
    static final int WR = 2;
    /** Read-write (anti-dependency): the source read a version the target's write came after. */
    static final int RW = 4;
    /** Process order: the same client process completed the source before it invoked the target. */
    static final int PROCESS = 8;
    /** Realtime order: the source completed before the target was invoked. */
    static final int REALTIME = 16;
    /** Every relation. */
    static final int ALL = WW | WR | RW | PROCESS | REALTIME;

    /** Insertion-ordered, so that searches (and the cycles reported) do not depend on hashing. */
    private final Map<Integer, Map<Integer, Integer>> out = new LinkedHashMap<>();

    /** Adds the relation {@code rel} to the edge from {@code from} to {@code to}; self-edges are dropped, as Elle does. */
    void link(int from, int to, int rel) {
        if (from == to) return;
        out.computeIfAbsent(from, k -> new LinkedHashMap<>()).merge(to, rel, (a, b) -> a | b);
        out.computeIfAbsent(to, k -> new LinkedHashMap<>());
    }

    /** Whether the graph has no vertex (Elle's empty-transaction-graph). */
    boolean isEmpty() {
        return out.isEmpty();
    }

    /** The vertices, in the order they were first linked. */
    Set<Integer> vertices() {
        return out.keySet();
    }

    /** The relations on the edge from one vertex to another (0 for none). */
    int rels(int from, int to) {
        return out.getOrDefault(from, Map.of()).getOrDefault(to, 0);
    }

    /**
     * The strongly connected components of more than one vertex among {@code within}
     * (all vertices when null), following only edges with a relation in {@code mask}.
     * Tarjan's algorithm, iterative so that long chains cannot overflow the stack.
     */
    List<Set<Integer>> components(int mask, Set<Integer> within) {
        var index = new HashMap<Integer, Integer>();
        var low = new HashMap<Integer, Integer>();
        var onStack = new HashSet<Integer>();
        var stack = new ArrayDeque<Integer>();
        var result = new ArrayList<Set<Integer>>();
        int counter = 0;
        for (int root : within == null ? out.keySet() : within) {
            if (index.containsKey(root) || !out.containsKey(root)) continue;
            // Each frame is a vertex and the iterator over its remaining successors.
            var frames = new ArrayDeque<Map.Entry<Integer, Iterator<Integer>>>();
            index.put(root, counter);
            low.put(root, counter++);
            stack.push(root);
            onStack.add(root);
            frames.push(Map.entry(root, successors(root, mask, within).iterator()));
            while (!frames.isEmpty()) {
                var frame = frames.peek();
                int v = frame.getKey();
                if (frame.getValue().hasNext()) {
                    int w = frame.getValue().next();
                    if (!index.containsKey(w)) {
                        index.put(w, counter);
                        low.put(w, counter++);
                        stack.push(w);
                        onStack.add(w);
                        frames.push(Map.entry(w, successors(w, mask, within).iterator()));
                    } else if (onStack.contains(w)) {
                        low.put(v, Math.min(low.get(v), index.get(w)));
                    }
                    continue;
                }
                frames.pop();
                if (!frames.isEmpty()) {
                    int parent = frames.peek().getKey();
                    low.put(parent, Math.min(low.get(parent), low.get(v)));
                }
                if (low.get(v).equals(index.get(v))) {
                    var component = new LinkedHashSet<Integer>();
                    int w;
                    do {
                        w = stack.pop();
                        onStack.remove(w);
                        component.add(w);
                    } while (w != v);
                    if (component.size() > 1) result.add(component);
                }
            }
        }
        return result;
    }

    /**
     * A shortest path from {@code from} to {@code to} following edges with a relation in
     * {@code mask} and staying inside {@code within}, as the list of vertices from
     * {@code from} to {@code to} inclusive, or null when there is none.
     */
    List<Integer> shortestPath(int from, int to, int mask, Set<Integer> within) {
        var parent = new HashMap<Integer, Integer>();
        parent.put(from, from);
        var queue = new ArrayDeque<Integer>();
        queue.add(from);
        while (!queue.isEmpty()) {
            int v = queue.poll();
            if (v == to) {
                var path = new ArrayList<Integer>();
                for (int w = to; w != from; w = parent.get(w)) path.add(0, w);
                path.add(0, from);
                return path;
            }
            for (int w : successors(v, mask, within)) {
                if (parent.putIfAbsent(w, v) == null) queue.add(w);
            }
        }
        return null;
    }

    /** The vertices with an edge from {@code v} carrying a relation in {@code mask}, inside {@code within}. */
    List<Integer> successors(int v, int mask, Set<Integer> within) {
        var result = new ArrayList<Integer>();
        for (var edge : out.getOrDefault(v, Map.of()).entrySet()) {
            if ((edge.getValue() & mask) != 0 && (within == null || within.contains(edge.getKey()))) {
                result.add(edge.getKey());
            }
        }
        return result;
    }
}
