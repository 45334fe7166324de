package bench.nemesis;

import bench.net.Network;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Jepsen's partition package as Maelstrom runs it: cut the network at once into one of
 * {@link Nemesis#SHAPES}, then flip between cut and healed every 0..2×interval seconds
 * until the main phase ends; the final phase heals it for good. Records what it did.
 */
public final class PartitionNemesis {

    private final Network network;
    private final List<String> nodes;
    private final double intervalSeconds;
    private final Random random;
    private final long start;
    private final List<NemesisEvent> events = Collections.synchronizedList(new ArrayList<>());

    /**
     * A nemesis over {@code nodes} of {@code network}, timing its events from {@code start}
     * ({@link System#nanoTime()} at the start of the main phase).
     */
    public PartitionNemesis(Network network, List<String> nodes, double intervalSeconds, Random random, long start) {
        this.network = network;
        this.nodes = nodes;
        this.intervalSeconds = intervalSeconds;
        this.random = random;
        this.start = start;
    }

    /**
     * Cuts and heals until {@code end} ({@link System#nanoTime()}); after each operation
     * calls {@code invoked}, since each is an invocation of the nemesis's thread in the
     * clients' schedule.
     */
    public void run(long end, Runnable invoked) {
        long gap = (long) (intervalSeconds * 2e9);
        long next = start;
        boolean cut = false;
        while (true) {
            long now = System.nanoTime();
            if (next > now) {
                if (next >= end) {
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.sleep(next - now);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                continue;
            }
            if (!cut) {
                String shape = Nemesis.SHAPES.get(random.nextInt(Nemesis.SHAPES.size()));
                Map<String, Set<String>> grudge = Nemesis.grudge(shape, nodes, random);
                network.partition(grudge);
                events.add(new NemesisEvent(System.nanoTime() - start, "start-partition", shape,
                        Nemesis.nonEmpty(grudge)));
            } else {
                heal();
            }
            invoked.run();
            cut = !cut;
            next = Math.max(next, System.nanoTime()) + (long) (random.nextDouble() * gap);
        }
    }

    /** Heals the network, as every stop-partition does and the final phase does once more. */
    public void heal() {
        network.heal();
        events.add(new NemesisEvent(System.nanoTime() - start, "stop-partition", null, Map.of()));
    }

    /** What it did, in order. */
    public List<NemesisEvent> events() {
        return List.copyOf(events);
    }
}
