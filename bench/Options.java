package bench;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Everything a test run is configured with, as Maelstrom's command line names it.
 * Times are in seconds unless a name says otherwise.
 *
 * @param workload          the workload name ("broadcast")
 * @param bin               the node program, absolute and with symlinks resolved
 * @param args              the words passed to every node program
 * @param nodeCount         how many nodes (n0 ... n(N-1))
 * @param timeLimit         length of the main phase
 * @param rate              client requests per second over all clients; 0 for none
 * @param latencyMillis     mean latency of messages that involve no client
 * @param latencyDist       the shape of that latency
 * @param topology          the broadcast topology name
 * @param partition         whether the partition nemesis runs
 * @param nemesisInterval   mean seconds between nemesis operations
 * @param concurrency       number of client threads
 * @param availability      null, "total", or a fraction such as "0.99"
 * @param quietPeriod       seconds between healing and the final requests
 * @param seed              seed of every random choice the bench makes
 * @param runDir            the folder this run writes into
 * @param consistencyModels for txn workloads ("read-committed", ...)
 * @param maxTxnLength      for txn workloads
 * @param maxWritesPerKey   for txn and kafka workloads
 * @param keyCount          for workloads with keys, or null for their default
 */
public record Options(String workload, Path bin, List<String> args, int nodeCount, double timeLimit,
                      double rate, long latencyMillis, LatencyDist latencyDist, String topology,
                      boolean partition, double nemesisInterval, int concurrency, String availability,
                      double quietPeriod, long seed, Path runDir, List<String> consistencyModels,
                      int maxTxnLength, int maxWritesPerKey, Integer keyCount) {

    /** Maelstrom's latency distributions. */
    public enum LatencyDist {
        /** Always the mean. */
        CONSTANT,
        /** Whole milliseconds uniformly in [0, 2 × mean). */
        UNIFORM,
        /** Exponential with the given mean. */
        EXPONENTIAL
    }

    /** The node ids, n0 to n(N-1). */
    public List<String> nodes() {
        return IntStream.range(0, nodeCount).mapToObj(i -> "n" + i).toList();
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
