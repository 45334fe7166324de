package bench.nemesis;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The partition nemesis, with Jepsen's partition shapes as Maelstrom uses them. A
 * grudge maps each receiving node to the nodes whose messages it drops; only nodes are
 * ever cut off, never clients or services.
 */
public final class Nemesis {

    /** The four shapes Maelstrom picks from at random for each partition. */
    public static final List<String> SHAPES = List.of("one", "minority-third", "majority", "majorities-ring");

    private Nemesis() {
    }

    /** The smallest integer strictly greater than half of n. */
    static int majority(int n) {
        return n / 2 + 1;
    }

    /** The largest integer strictly less than a third of n. */
    static int minorityThird(int n) {
        return Math.max(0, (n - 1) / 3);
    }

    /** A grudge of the named shape over {@code nodes}. */
    public static Map<String, Set<String>> grudge(String shape, List<String> nodes, Random random) {
        List<String> shuffled = new ArrayList<>(nodes);
        return switch (shape) {
            case "one" -> {
                String loner = nodes.get(random.nextInt(nodes.size()));
                yield complete(List.of(List.of(loner), nodes.stream().filter(n -> !n.equals(loner)).toList()));
            }
            case "majority" -> {
                Collections.shuffle(shuffled, random);
                int half = nodes.size() / 2;
                yield complete(List.of(shuffled.subList(0, half), shuffled.subList(half, nodes.size())));
            }
            case "minority-third" -> {
                Collections.shuffle(shuffled, random);
                int third = minorityThird(nodes.size());
                yield complete(List.of(shuffled.subList(0, third), shuffled.subList(third, nodes.size())));
            }
            case "majorities-ring" -> nodes.size() <= 5 ? ringPerfect(nodes, random) : ringStochastic(nodes, random);
            default -> throw new IllegalArgumentException("unknown partition shape " + shape);
        };
    }

    /** Every node drops messages from every node outside its own component. */
    static Map<String, Set<String>> complete(List<? extends Collection<String>> components) {
        Set<String> universe = new HashSet<>();
        components.forEach(universe::addAll);
        Map<String, Set<String>> grudge = new TreeMap<>();
        for (Collection<String> component : components) {
            Set<String> outside = new HashSet<>(universe);
            outside.removeAll(component);
            component.forEach(node -> grudge.put(node, Set.copyOf(outside)));
        }
        return grudge;
    }

    /**
     * Nodes in a random ring; each node keeps only the majority window it sits in the
     * middle of. With 3 nodes this cuts links one way only, as Jepsen's does.
     */
    static Map<String, Set<String>> ringPerfect(List<String> nodes, Random random) {
        List<String> ring = new ArrayList<>(nodes);
        Collections.shuffle(ring, random);
        int n = ring.size(), m = majority(n);
        Map<String, Set<String>> grudge = new TreeMap<>();
        for (int start = 0; start < n; start++) {
            Set<String> window = new HashSet<>();
            for (int j = 0; j < m; j++) {
                window.add(ring.get((start + j) % n));
            }
            Set<String> dropped = new HashSet<>(nodes);
            dropped.removeAll(window);
            grudge.put(ring.get((start + m / 2) % n), Set.copyOf(dropped));
        }
        return grudge;
    }

    /**
     * For larger clusters: repeatedly links a least-connected node to another
     * least-connected node it is not yet linked to, until every node sees a majority
     * (itself included); each node then drops everyone it is not linked to.
     */
    static Map<String, Set<String>> ringStochastic(List<String> nodes, Random random) {
        int m = majority(nodes.size());
        Map<String, Set<String>> links = new LinkedHashMap<>();
        for (String node : nodes) {
            links.put(node, new HashSet<>(Set.of(node)));
        }
        while (true) {
            // Nodes by ascending degree, shuffled within a degree.
            TreeMap<Integer, List<String>> byDegree = new TreeMap<>();
            links.forEach((node, linked) -> byDegree.computeIfAbsent(linked.size(), d -> new ArrayList<>()).add(node));
            List<String> order = new ArrayList<>();
            byDegree.values().forEach(group -> {
                Collections.shuffle(group, random);
                order.addAll(group);
            });
            String a = order.getFirst();
            if (links.get(a).size() >= m) {
                break;
            }
            String b = order.stream().filter(x -> !links.get(a).contains(x)).findFirst().orElseThrow();
            links.get(a).add(b);
            links.get(b).add(a);
        }
        Map<String, Set<String>> grudge = new TreeMap<>();
        links.forEach((node, linked) -> {
            Set<String> dropped = new HashSet<>(nodes);
            dropped.removeAll(linked);
            grudge.put(node, Set.copyOf(dropped));
        });
        return grudge;
    }

    /** The nodes the grudge leaves untouched are omitted, for a readable record. */
    public static Map<String, Set<String>> nonEmpty(Map<String, Set<String>> grudge) {
        Map<String, Set<String>> out = new TreeMap<>();
        grudge.forEach((k, v) -> {
            if (!v.isEmpty()) {
                out.put(k, new TreeSet<>(v));
            }
        });
        return out;
    }
}
