package tests.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bench.Options;
import bench.nemesis.Nemesis;
import bench.workload.broadcast.Topology;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Partition shapes and broadcast topologies, as Jepsen and Maelstrom build them. */
class NemesisTest {

    static List<String> nodes(int n) {
        return IntStream.range(0, n).mapToObj(i -> "n" + i).toList();
    }

    static long cut(Map<String, Set<String>> grudge) {
        return grudge.values().stream().filter(s -> !s.isEmpty()).count();
    }

    @Test
    void oneIsolatesASingleNodeBothWays() {
        var grudge = Nemesis.grudge("one", nodes(5), new Random(1));
        String loner = grudge.entrySet().stream().filter(e -> e.getValue().size() == 4).findFirst().orElseThrow().getKey();
        grudge.forEach((node, dropped) -> assertEquals(node.equals(loner) ? 4 : 1, dropped.size(), node + " " + dropped));
    }

    @Test
    void majoritySplitsIntoTwoAndThree() {
        var grudge = Nemesis.grudge("majority", nodes(5), new Random(2));
        assertEquals(Set.of(2, 3), Set.copyOf(grudge.values().stream().map(Set::size).toList()));
    }

    @Test
    void minorityThirdCutsOffUnderAThird() {
        var grudge = Nemesis.grudge("minority-third", nodes(25), new Random(3));
        assertEquals(8, grudge.values().stream().filter(s -> s.size() == 17).count());
        assertEquals(0, cut(Nemesis.grudge("minority-third", nodes(3), new Random(3))), "a third of 3 rounds down to 0");
    }

    @Test
    void majoritiesRingLetsEveryNodeSeeADifferentMajority() {
        for (int n : new int[] {5, 7, 25}) {
            for (int seed = 0; seed < 10; seed++) {
                var grudge = Nemesis.grudge("majorities-ring", nodes(n), new Random(seed));
                int majority = n / 2 + 1;
                grudge.forEach((node, dropped) -> {
                    assertTrue(n - dropped.size() >= majority, node + " sees less than a majority: " + dropped);
                    assertTrue(!dropped.contains(node));
                });
                assertTrue(cut(grudge) > 0, "something is cut for n=" + n);
                if (n > 5) {
                    grudge.forEach((a, dropped) -> dropped.forEach(b ->
                            assertTrue(grudge.get(b).contains(a), "links are cut both ways")));
                }
            }
        }
        var five = Nemesis.grudge("majorities-ring", nodes(5), new Random(4));
        five.values().forEach(dropped -> assertEquals(2, dropped.size()));
    }

    @Test
    void aSeedFixesTheShapes() {
        for (String shape : Nemesis.SHAPES) {
            assertEquals(Nemesis.grudge(shape, nodes(25), new Random(7)), Nemesis.grudge(shape, nodes(25), new Random(7)), shape);
        }
        assertTrue(!Nemesis.grudge("majority", nodes(25), new Random(7)).equals(Nemesis.grudge("majority", nodes(25), new Random(8))));
    }

    @Test
    void gridIsRowByRowWithUpToFourNeighbours() {
        var grid = Topology.of("grid", nodes(25));
        assertEquals(List.of("n5", "n1"), grid.get("n0"));
        assertEquals(List.of("n17", "n7", "n13", "n11"), grid.get("n12"));
        var ragged = Topology.of("grid", nodes(5));
        assertEquals(List.of("n3", "n1"), ragged.get("n0"));
        assertEquals(List.of("n1", "n3"), ragged.get("n4"), "a ragged last row has no one below");
    }

    @Test
    void lineTotalAndTrees() {
        assertEquals(Map.of("n0", List.of("n1"), "n1", List.of("n0", "n2"), "n2", List.of("n1")), Topology.of("line", nodes(3)));
        assertEquals(Map.of(), Topology.of("line", nodes(1)));
        assertEquals(List.of("n0", "n2"), Topology.of("total", nodes(3)).get("n1"));
        var tree = Topology.of("tree2", nodes(7));
        assertEquals(List.of("n1", "n2"), tree.get("n0"));
        assertEquals(List.of("n0", "n3", "n4"), tree.get("n1"));
        assertEquals(List.of("n2"), tree.get("n6"));
        var tree4 = Topology.of("tree4", nodes(25));
        assertEquals(List.of("n0", "n5", "n6", "n7", "n8"), tree4.get("n1"));
        assertEquals(List.of("n1", "n21", "n22", "n23", "n24"), tree4.get("n5"));
    }

    @Test
    void concurrencyAcceptsCountsAndMultiplesOfTheNodeCount() {
        assertEquals(10, Options.parseConcurrency("2n", 5));
        assertEquals(5, Options.parseConcurrency("n", 5));
        assertEquals(3, Options.parseConcurrency("3", 5));
    }
}
