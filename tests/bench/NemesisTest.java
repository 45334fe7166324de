package tests.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bench.Options;
import bench.nemesis.CombinedNemesis;
import bench.nemesis.Nemesis;
import bench.nemesis.NemesisEvent;
import bench.nemesis.NodeSpec;
import bench.nemesis.Target;
import bench.workload.broadcast.Topology;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Partition shapes, the nodes kills and pauses hit, the combined nemesis's schedule, and
 * broadcast topologies, as Jepsen and Maelstrom build them.
 */
class NemesisTest {

    /** Nodes that are only states: killed, paused or running; it counts the partitions. */
    static final class FakeNodes implements Target {
        final Set<String> killed = new HashSet<>();
        final Set<String> paused = new HashSet<>();
        int partitions;

        @Override
        public void partition(Map<String, Set<String>> grudge) {
            partitions++;
        }

        @Override
        public void heal() {
        }

        @Override
        public List<String> kill(List<String> nodes) {
            List<String> hit = nodes.stream().filter(n -> !killed.contains(n)).toList();
            killed.addAll(hit);
            paused.removeAll(hit);
            return hit;
        }

        @Override
        public List<String> start(List<String> nodes) {
            List<String> hit = nodes.stream().filter(killed::contains).toList();
            killed.removeAll(hit);
            return hit;
        }

        @Override
        public List<String> pause(List<String> nodes) {
            List<String> hit = nodes.stream().filter(n -> !killed.contains(n) && !paused.contains(n)).toList();
            paused.addAll(hit);
            return hit;
        }

        @Override
        public List<String> resume(List<String> nodes) {
            List<String> hit = nodes.stream().filter(paused::contains).toList();
            paused.removeAll(hit);
            return hit;
        }
    }

    /** A nemesis of {@code faults} every {@code interval} s over five fake nodes, run for {@code seconds}, then healed. */
    static List<NemesisEvent> schedule(String faults, double interval, double seconds, long seed, FakeNodes target) {
        var options = new Options.Faults(Options.Fault.parse(faults), interval);
        long start = System.nanoTime();
        var nemesis = new CombinedNemesis(target, nodes(5), options, new Random(seed), new Random(seed + 1), start);
        nemesis.run(start + (long) (seconds * 1e9), () -> { });
        nemesis.heal();
        return nemesis.events();
    }

    @Test
    void nodeSpecsPickAsJepsensDbNodesDoes() {
        var random = new Random(5);
        var sizes = Map.of(NodeSpec.ONE, 1, NodeSpec.MINORITY_THIRD, 1, NodeSpec.MINORITY, 2, NodeSpec.MAJORITY, 3,
                NodeSpec.ALL, 5);
        sizes.forEach((spec, size) -> assertEquals(size, spec.pick(nodes(5), random).size(), spec.label()));
        assertEquals(List.of(), NodeSpec.MINORITY_THIRD.pick(nodes(3), random), "a third of 3 rounds down to 0");
        assertEquals(List.of(), NodeSpec.MINORITY.pick(nodes(1), random), "one node has no minority");
        Set<Integer> subsetSizes = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            List<String> subset = NodeSpec.NONEMPTY_SUBSET.pick(nodes(5), random);
            assertEquals(subset.size(), Set.copyOf(subset).size(), "no node twice: " + subset);
            subsetSizes.add(subset.size());
        }
        assertEquals(Set.of(1, 2, 3, 4, 5), subsetSizes, "every non-empty size comes up");
        assertEquals(NodeSpec.MAJORITY.pick(nodes(25), new Random(9)), NodeSpec.MAJORITY.pick(nodes(25), new Random(9)));
    }

    @Test
    void eachModeFlipFlopsBetweenItsFaultAndItsUndoingOnAllNodes() {
        var target = new FakeNodes();
        List<NemesisEvent> events = schedule("kill,pause", 0.02, 1.5, 3, target);
        List<NemesisEvent.Processes> main = events.stream().filter(e -> !e.isFinal())
                .map(NemesisEvent.Processes.class::cast).toList();
        for (String[] mode : new String[][] {{"kill", "start"}, {"pause", "resume"}}) {
            List<NemesisEvent.Processes> ops = main.stream().filter(e -> e.f().equals(mode[0]) || e.f().equals(mode[1]))
                    .toList();
            assertTrue(ops.size() >= 4, "both modes are drawn: " + ops.size() + " " + mode[0]);
            for (int i = 0; i < ops.size(); i++) {
                assertEquals(mode[i % 2], ops.get(i).f(), "flip-flop at " + i);
                if (i % 2 == 1) {
                    assertEquals("all", ops.get(i).spec());
                    assertEquals(nodes(5), ops.get(i).targets());
                }
            }
        }
        Set<String> specs = new HashSet<>();
        main.stream().filter(e -> e.f().equals("kill")).forEach(e -> specs.add(e.spec()));
        assertTrue(specs.size() >= 3, "specs are drawn at random: " + specs);
        assertEquals(List.of("resume", "start"), events.stream().filter(NemesisEvent::isFinal).map(NemesisEvent::f).toList(),
                "the final phase resumes, then starts, as Jepsen's final generator");
        assertTrue(target.killed.isEmpty() && target.paused.isEmpty(), "healed");
    }

    @Test
    void packagesKeepTheirOwnStaggerAndTheFinalPhaseHealsInJepsensOrder() {
        var target = new FakeNodes();
        double interval = 0.05, seconds = 2;
        List<NemesisEvent> events = schedule("partition,kill", interval, seconds, 4, target);
        long partitions = events.stream().filter(e -> e instanceof NemesisEvent.Partition && !e.isFinal()).count();
        long kills = events.stream().filter(e -> e instanceof NemesisEvent.Processes && !e.isFinal()).count();
        // About seconds / interval = 40 each; a loaded machine only makes fewer.
        assertTrue(partitions >= 8 && partitions <= 80, "partition ops: " + partitions);
        assertTrue(kills >= 8 && kills <= 80, "kill ops: " + kills);
        assertEquals(0, events.getFirst().invokedNanos() / 100_000_000, "the first op comes at once");
        assertEquals(List.of("stop-partition", "start"),
                events.stream().filter(NemesisEvent::isFinal).map(NemesisEvent::f).toList());
        assertTrue(schedule("partition", interval, 0.3, 4, new FakeNodes()).stream()
                .allMatch(e -> e instanceof NemesisEvent.Partition), "no kills unless asked");
    }

    @Test
    void aSeedFixesTheKillsWhateverTheTiming() {
        List<List<String>> first = firstKills(schedule("kill", 0.01, 0.5, 8, new FakeNodes()));
        assertEquals(first, firstKills(schedule("kill", 0.02, 0.5, 8, new FakeNodes())));
        assertTrue(!first.equals(firstKills(schedule("kill", 0.01, 0.5, 9, new FakeNodes()))));
    }

    /** The targets of the first five kills. */
    private static List<List<String>> firstKills(List<NemesisEvent> events) {
        List<List<String>> kills = new ArrayList<>();
        events.stream().filter(e -> e.f().equals("kill")).forEach(e -> kills.add(((NemesisEvent.Processes) e).targets()));
        assertTrue(kills.size() >= 5, "enough kills to compare: " + kills.size());
        return kills.subList(0, 5);
    }

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
