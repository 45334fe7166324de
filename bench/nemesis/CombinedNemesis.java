package bench.nemesis;

import bench.Options;
import bench.Schedule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Jepsen's combined nemesis as Maelstrom composes it ({@code maelstrom.nemesis/package}:
 * the partition package, then the db package), over the faults --nemesis names:
 *
 * <ul>
 * <li>partition: cut the network into one of {@link Nemesis#SHAPES}, then heal, and so
 *     on (Jepsen's flip-flop);
 * <li>kill and pause (the db package): each operation is one of the enabled modes, drawn
 *     at random (Jepsen's mix); a mode flip-flops between its fault, on the nodes a
 *     random {@link NodeSpec} picks, and its undoing on all nodes: kill then start, pause
 *     then resume.
 * </ul>
 *
 * <p>Each package staggers its own operations, 0 to 2 × interval apart, the first at
 * once; the nemesis makes the operation due soonest (Jepsen's any), one at a time, on
 * one thread. The final phase heals in Jepsen's order: stop the partition, resume, start.
 * Records what it did.
 */
public final class CombinedNemesis {

    private final Target target;
    private final List<String> nodes;
    private final long start;
    private final List<Package> packages = new ArrayList<>();
    private final List<NemesisEvent> events = Collections.synchronizedList(new ArrayList<>());

    /** One of Jepsen's packages: its own schedule, its next operation, and its final healing. */
    private interface Package {
        Schedule.Stagger stagger();

        /** Makes its next operation. */
        void invoke();

        /** Undoes whatever it may have left done, for the final phase. */
        void heal();
    }

    /**
     * A nemesis over {@code nodes}, acting on {@code target} with the faults {@code faults}
     * enables, timing its events from {@code start} ({@link System#nanoTime()} at the
     * start of the main phase). Each package draws from a random of its own, so that its
     * choices do not depend on how its operations interleave with the other's.
     */
    public CombinedNemesis(Target target, List<String> nodes, Options.Faults faults, Random partitionRandom,
                           Random processRandom, long start) {
        this.target = target;
        this.nodes = nodes;
        this.start = start;
        double rate = 1 / faults.nemesisInterval();
        if (faults.has(Options.Fault.PARTITION)) {
            packages.add(new PartitionPackage(new Schedule.Stagger(rate, partitionRandom), partitionRandom));
        }
        List<Mode> modes = new ArrayList<>();
        if (faults.has(Options.Fault.PAUSE)) {
            modes.add(new Mode("pause", "resume"));
        }
        if (faults.has(Options.Fault.KILL)) {
            modes.add(new Mode("kill", "start"));
        }
        if (!modes.isEmpty()) {
            packages.add(new ProcessPackage(new Schedule.Stagger(rate, processRandom), processRandom, modes));
        }
    }

    /**
     * Makes operations until {@code end} ({@link System#nanoTime()}); after each calls
     * {@code invoked}, since each is an invocation of the nemesis's thread in the clients'
     * schedule.
     */
    public void run(long end, Runnable invoked) {
        if (packages.isEmpty()) {
            return;
        }
        while (true) {
            Package next = packages.stream().min(Comparator.comparingLong(p -> p.stagger().due())).orElseThrow();
            long now = System.nanoTime();
            long due = next.stagger().due();
            if (due > now) {
                if (due >= end) {
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.sleep(due - now);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                continue;
            }
            // Jepsen's stagger times the next operation from this one's invocation.
            next.stagger().invoked(now);
            next.invoke();
            invoked.run();
        }
    }

    /** The final phase's healing: every package undoes what it may have left, in Jepsen's order. */
    public void heal() {
        packages.forEach(Package::heal);
    }

    /** What it did, in order. */
    public List<NemesisEvent> events() {
        return List.copyOf(events);
    }

    private long elapsed() {
        return System.nanoTime() - start;
    }

    /** Jepsen's partition package: start-partition with a random shape, stop-partition, and so on. */
    private final class PartitionPackage implements Package {
        private final Schedule.Stagger stagger;
        private final Random random;
        private boolean cut;

        PartitionPackage(Schedule.Stagger stagger, Random random) {
            this.stagger = stagger;
            this.random = random;
        }

        @Override
        public Schedule.Stagger stagger() {
            return stagger;
        }

        @Override
        public void invoke() {
            if (cut) {
                stop(false);
                return;
            }
            long invoked = elapsed();
            String shape = Nemesis.SHAPES.get(random.nextInt(Nemesis.SHAPES.size()));
            Map<String, Set<String>> grudge = Nemesis.grudge(shape, nodes, random);
            target.partition(grudge);
            events.add(new NemesisEvent.Partition(invoked, elapsed(), "start-partition", shape,
                    Nemesis.nonEmpty(grudge), false));
            cut = true;
        }

        @Override
        public void heal() {
            stop(true);
        }

        private void stop(boolean isFinal) {
            long invoked = elapsed();
            target.heal();
            events.add(new NemesisEvent.Partition(invoked, elapsed(), "stop-partition", null, Map.of(), isFinal));
            cut = false;
        }
    }

    /**
     * One of the db package's flip-flops: its fault on the nodes a random spec picks, then
     * its undoing on all nodes.
     *
     * @param fault  Jepsen's f for the fault ("kill")
     * @param undo   Jepsen's f for its undoing ("start")
     */
    private record Mode(String fault, String undo) {
    }

    /** Jepsen's db package: a random mix of its modes, each flip-flopping. */
    private final class ProcessPackage implements Package {
        private final Schedule.Stagger stagger;
        private final Random random;
        private final List<Mode> modes;
        /** The modes whose fault is the last thing they did: their next operation undoes it. */
        private final List<Mode> faulted = new ArrayList<>();

        ProcessPackage(Schedule.Stagger stagger, Random random, List<Mode> modes) {
            this.stagger = stagger;
            this.random = random;
            this.modes = modes;
        }

        @Override
        public Schedule.Stagger stagger() {
            return stagger;
        }

        @Override
        public void invoke() {
            Mode mode = modes.get(random.nextInt(modes.size()));
            if (faulted.remove(mode)) {
                apply(mode.undo(), NodeSpec.ALL, false);
            } else {
                NodeSpec[] specs = NodeSpec.values();
                apply(mode.fault(), specs[random.nextInt(specs.length)], false);
                faulted.add(mode);
            }
        }

        @Override
        public void heal() {
            modes.forEach(m -> apply(m.undo(), NodeSpec.ALL, true));
            faulted.clear();
        }

        private void apply(String f, NodeSpec spec, boolean isFinal) {
            long invoked = elapsed();
            List<String> targets = spec.pick(nodes, random);
            List<String> changed = switch (f) {
                case "kill" -> target.kill(targets);
                case "start" -> target.start(targets);
                case "pause" -> target.pause(targets);
                case "resume" -> target.resume(targets);
                default -> throw new IllegalArgumentException("unknown nemesis operation " + f);
            };
            events.add(new NemesisEvent.Processes(invoked, elapsed(), f, spec.label(), targets, changed, isFinal));
        }
    }
}
