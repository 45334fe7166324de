package bench.workload.broadcast;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The broadcast workload's topologies, each node mapped to its neighbours, as Maelstrom builds them. */
public final class Topology {

    /** The names --topology accepts. */
    public static final Set<String> NAMES = Set.of("grid", "line", "total", "tree", "tree2", "tree3", "tree4");

    private Topology() {
    }

    /**
     * The topology of the given name.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static Map<String, List<String>> of(String name, List<String> nodes) {
        return switch (name) {
            case "grid" -> grid(nodes);
            case "line" -> line(nodes);
            case "total" -> total(nodes);
            case "tree", "tree2" -> tree(nodes, 2);
            case "tree3" -> tree(nodes, 3);
            case "tree4" -> tree(nodes, 4);
            default -> throw new IllegalArgumentException("unknown topology " + name + "; one of " + NAMES);
        };
    }

    /** Nodes row by row in a square of side ceil(sqrt n); neighbours below, above, right, left. */
    static Map<String, List<String>> grid(List<String> nodes) {
        int n = nodes.size(), side = (int) Math.ceil(Math.sqrt(n));
        Map<String, List<String>> topo = new LinkedHashMap<>();
        for (int idx = 0; idx < n; idx++) {
            int i = idx / side, j = idx % side;
            List<String> neighbours = new ArrayList<>();
            int[][] steps = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};
            for (int[] s : steps) {
                int ni = i + s[0], nj = j + s[1], k = ni * side + nj;
                if (ni >= 0 && nj >= 0 && nj < side && k < n) {
                    neighbours.add(nodes.get(k));
                }
            }
            topo.put(nodes.get(idx), neighbours);
        }
        return topo;
    }

    /** A line; Maelstrom gives a single node no entry at all. */
    static Map<String, List<String>> line(List<String> nodes) {
        int n = nodes.size();
        Map<String, List<String>> topo = new LinkedHashMap<>();
        if (n < 2) {
            return topo;
        }
        for (int i = 0; i < n; i++) {
            List<String> neighbours = new ArrayList<>();
            if (i > 0) {
                neighbours.add(nodes.get(i - 1));
            }
            if (i < n - 1) {
                neighbours.add(nodes.get(i + 1));
            }
            topo.put(nodes.get(i), neighbours);
        }
        return topo;
    }

    /** Everyone is everyone else's neighbour. */
    static Map<String, List<String>> total(List<String> nodes) {
        Map<String, List<String>> topo = new LinkedHashMap<>();
        for (String node : nodes) {
            topo.put(node, nodes.stream().filter(o -> !o.equals(node)).toList());
        }
        return topo;
    }

    /**
     * A tree filled tier by tier (1, b, b², ... nodes); the children of the k-th node of a
     * tier are the next tier's nodes kb ... kb+b-1. Neighbours: the parent, then the
     * children.
     */
    static Map<String, List<String>> tree(List<String> nodes, int b) {
        int n = nodes.size();
        Map<String, List<String>> topo = new LinkedHashMap<>();
        int tierStart = 0, tierSize = 1;
        while (tierStart < n) {
            int nextStart = tierStart + tierSize;
            for (int p = 0; p < tierSize && tierStart + p < n; p++) {
                List<String> neighbours = new ArrayList<>();
                if (tierStart > 0) {
                    int prevSize = tierSize / b, prevStart = tierStart - prevSize;
                    neighbours.add(nodes.get(prevStart + p / b));
                }
                for (int c = p * b; c < p * b + b && nextStart + c < n; c++) {
                    neighbours.add(nodes.get(nextStart + c));
                }
                topo.put(nodes.get(tierStart + p), neighbours);
            }
            tierStart = nextStart;
            tierSize *= b;
        }
        return topo;
    }
}
