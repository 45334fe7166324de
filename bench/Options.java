package bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Everything a test run is configured with, as Maelstrom's command line names it, in
 * groups: a new flag goes into the one group it belongs to. Times are in seconds unless
 * a name says otherwise. The command line (bench.cli.TestCommand) owns the defaults.
 *
 * @param workload the workload name ("broadcast")
 * @param program  the node program
 * @param cluster  the nodes and the network between them
 * @param load     the clients' requests
 * @param faults   what the nemesis does
 * @param params   the workload's own parameters
 * @param logs     what the run prints beside its progress
 * @param seed     seed of every random choice the bench makes
 * @param runDir   the folder this run writes into
 */
public record Options(String workload, Program program, Cluster cluster, Load load, Faults faults,
                      WorkloadParams params, Logs logs, long seed, Path runDir) {

    /**
     * The node program.
     *
     * @param bin  the program that runs one node, absolute and with symlinks resolved
     * @param args the words passed to every node program
     */
    public record Program(Path bin, List<String> args) {

        /** The program and its words, as a process is started with them. */
        public List<String> command() {
            List<String> command = new ArrayList<>(List.of(bin.toString()));
            command.addAll(args);
            return command;
        }
    }

    /**
     * The nodes and the network between them.
     *
     * @param nodes         the node ids, in order: what init's node_id and node_ids carry
     * @param latencyMillis mean latency of messages that involve no client
     * @param latencyDist   the shape of that latency
     */
    public record Cluster(List<String> nodes, long latencyMillis, LatencyDist latencyDist) {

        /** Copies the ids, so that the record stays immutable. */
        public Cluster {
            nodes = List.copyOf(nodes);
        }

        /** How many nodes. */
        public int nodeCount() {
            return nodes.size();
        }
    }

    /**
     * The clients' requests.
     *
     * @param timeLimit    length of the main phase
     * @param rate         client requests per second over all clients; 0 for none
     * @param concurrency  number of client threads
     * @param quietPeriod  seconds between healing and the final requests
     * @param availability null, "total", or a fraction such as "0.99"
     */
    public record Load(double timeLimit, double rate, int concurrency, double quietPeriod, String availability) {
    }

    /**
     * What the nemesis does.
     *
     * @param enabled         the faults --nemesis names
     * @param nemesisInterval mean seconds between the operations of each kind of fault
     */
    public record Faults(Set<Fault> enabled, double nemesisInterval) {

        /** Copies the set, so that the record stays immutable. */
        public Faults {
            enabled = Set.copyOf(enabled);
        }

        /** Whether {@code fault} is enabled. */
        public boolean has(Fault fault) {
            return enabled.contains(fault);
        }

        /**
         * Whether nodes are killed or paused: then a request to a node that is down times
         * out, so no availability bound can be promised.
         */
        public boolean crashes() {
            return has(Fault.KILL) || has(Fault.PAUSE);
        }

        /** The faults as --nemesis spells them, comma-separated in a fixed order; empty for none. */
        public String names() {
            return String.join(",", Arrays.stream(Fault.values()).filter(enabled::contains).map(Fault::label).toList());
        }
    }

    /** The faults --nemesis takes, as Maelstrom names them. */
    public enum Fault {
        /** Network partitions. */
        PARTITION,
        /** Nodes killed with SIGKILL and started again. */
        KILL,
        /** Nodes suspended with SIGSTOP and continued with SIGCONT. */
        PAUSE;

        /** The name on the command line. */
        public String label() {
            return name().toLowerCase();
        }

        /**
         * Parses --nemesis: a comma-separated list of fault names, or nothing.
         *
         * @throws IllegalArgumentException naming the faults there are, for an unknown name
         */
        public static Set<Fault> parse(String text) {
            Set<Fault> faults = EnumSet.noneOf(Fault.class);
            for (String word : text.split(",")) {
                String name = word.trim();
                if (name.isEmpty()) {
                    continue;
                }
                try {
                    faults.add(valueOf(name.toUpperCase()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown fault " + name + "; --nemesis takes a comma-separated "
                            + "list of partition, kill and pause");
                }
            }
            return faults;
        }
    }

    /**
     * The parameters only some workloads read.
     *
     * @param topology          the broadcast topology name
     * @param consistencyModels for txn workloads ("read-committed", ...)
     * @param maxTxnLength      for txn workloads
     * @param maxWritesPerKey   for txn and kafka workloads
     * @param keyCount          for workloads with keys, or null for their default
     */
    public record WorkloadParams(String topology, List<String> consistencyModels, int maxTxnLength,
                                 int maxWritesPerKey, Integer keyCount) {
    }

    /**
     * What the run prints beside its progress, as Maelstrom's flags of the same names.
     *
     * @param nodeStderr every line a node logs, prefixed with its id (--log-stderr)
     * @param netSend    every message as the network accepts it (--log-net-send)
     * @param netRecv    every message as it is delivered (--log-net-recv)
     */
    public record Logs(boolean nodeStderr, boolean netSend, boolean netRecv) {
    }

    /** Maelstrom's latency distributions. */
    public enum LatencyDist {
        /** Always the mean. */
        CONSTANT,
        /** Whole milliseconds uniformly in [0, 2 × mean). */
        UNIFORM,
        /** Exponential with the given mean. */
        EXPONENTIAL
    }

    /** The same options for another test of the same command: its own seed and folder. */
    public Options withRun(long seed, Path runDir) {
        return new Options(workload, program, cluster, load, faults, params, logs, seed, runDir);
    }

    /** The node ids. */
    public List<String> nodes() {
        return cluster.nodes();
    }

    /** Maelstrom's node ids for {@code --node-count N}: n0 to n(N-1). */
    public static List<String> numberedNodes(int count) {
        return IntStream.range(0, count).mapToObj(i -> "n" + i).toList();
    }

    /**
     * Parses Maelstrom's concurrency syntax: a count, or a multiple of the node count
     * such as "2n".
     *
     * @throws IllegalArgumentException when the text is neither
     */
    public static int parseConcurrency(String text, int nodeCount) {
        String t = text.trim();
        try {
            int value = t.endsWith("n")
                    ? (t.length() == 1 ? 1 : Integer.parseInt(t.substring(0, t.length() - 1))) * nodeCount
                    : Integer.parseInt(t);
            if (value <= 0) {
                throw new IllegalArgumentException("concurrency must be positive: " + text);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("concurrency must be a count or a multiple like 2n: " + text);
        }
    }
}
