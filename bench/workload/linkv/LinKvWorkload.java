package bench.workload.linkv;

import bench.Json;
import bench.Op;
import bench.Options;
import bench.report.Verdict;
import bench.workload.Workload;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Maelstrom's lin-kv workload, which is Jepsen's linearizable-register test over
 * independent keys:
 *
 * <ul>
 * <li>the client threads are split into groups of 2 × node-count, each group working on
 *     one key at a time (keys 0, 1, 2... in the order groups ask for them), so
 *     --concurrency must be a multiple of 2 × node-count, as Jepsen asserts;
 * <li>in a group, the first node-count threads only {@code read}; the others pick
 *     evenly among {@code write} of 0–4 and two {@code cas} of 0–4 to 0–4;
 * <li>a group moves on to a fresh key once its key would be touched by more than
 *     {@value #PROCESS_LIMIT} distinct processes (Jepsen's process-limit counts every
 *     process the group's threads have had): every timeout on a key brings it closer;
 * <li>a read is idempotent (a timeout fails it), the client keeps its id across
 *     processes, and requests time out after 10 × the mean latency, at least 1 s.
 * </ul>
 * Maelstrom gives Jepsen no per-key op limit, so without timeouts a group stays on its
 * first key for the whole test. The checker is {@link LinearizabilityChecker}.
 */
public final class LinKvWorkload implements Workload {

    /** Jepsen's default process-limit for the linearizable-register test. */
    static final int PROCESS_LIMIT = 20;
    /** Values are drawn from 0 to this, exclusive, as Jepsen's {@code (rand/long 5)}. */
    static final int VALUES = 5;
    /** Maelstrom's lin-kv client waits at least this long for a reply. */
    private static final Duration MIN_TIMEOUT = Duration.ofSeconds(1);
    /** ... and otherwise this many mean latencies. */
    private static final int TIMEOUT_LATENCIES = 10;

    /** The key one group of threads works on, and the processes that have touched it. */
    private static final class Group {
        final int firstThread;
        long key;
        final Set<Integer> processes = new HashSet<>();

        Group(int firstThread, long key) {
            this.firstThread = firstThread;
            this.key = key;
        }
    }

    private final int nodeCount;
    private final int concurrency;
    private final int threadsPerKey;
    private final Duration requestTimeout;
    private final Group[] groups;
    /** Each thread's current process: a timeout moves it on by the concurrency. */
    private final int[] processOf;
    private long nextKey;
    private final LinearizabilityChecker checker = new LinearizabilityChecker();

    /** The workload for a run's node count, concurrency and latency. */
    public LinKvWorkload(Options options) {
        this(options.cluster().nodeCount(), options.load().concurrency(), options.cluster().latencyMillis());
    }

    /**
     * @param nodeCount     the cluster's size, which sets the threads per key
     * @param concurrency   the client threads, a multiple of 2 × nodeCount
     * @param latencyMillis the mean network latency, which sets the client's timeout
     * @throws IllegalArgumentException when the concurrency is not such a multiple
     */
    public LinKvWorkload(int nodeCount, int concurrency, long latencyMillis) {
        this.nodeCount = nodeCount;
        this.concurrency = concurrency;
        this.threadsPerKey = 2 * nodeCount;
        if (concurrency % threadsPerKey != 0) {
            throw new IllegalArgumentException("lin-kv runs " + threadsPerKey + " threads per key (2 per node): "
                    + "--concurrency must be a multiple of " + threadsPerKey + ", not " + concurrency);
        }
        this.requestTimeout = Duration.ofMillis(Math.max(MIN_TIMEOUT.toMillis(), TIMEOUT_LATENCIES * latencyMillis));
        this.groups = new Group[concurrency / threadsPerKey];
        for (int g = 0; g < groups.length; g++) groups[g] = new Group(g * threadsPerKey, nextKey++);
        this.processOf = new int[concurrency];
        for (int t = 0; t < concurrency; t++) processOf[t] = t;
    }

    @Override
    public ObjectNode next(int process, Random random) {
        int thread = process % concurrency;
        processOf[thread] = process;
        Group group = groups[thread / threadsPerKey];
        if (!admit(group)) {
            // Jepsen's process-limit ends the key's generator; the group takes the next key,
            // whose limit counts the group's current processes afresh.
            group.key = nextKey++;
            group.processes.clear();
            admit(group);
        }
        return thread % threadsPerKey < nodeCount ? Json.body("read").put("key", group.key)
                : writeOrCas(group.key, random);
    }

    /** Adds the group's current processes to its key's; whether they stay within the limit. */
    private boolean admit(Group group) {
        Set<Integer> union = new HashSet<>(group.processes);
        for (int t = group.firstThread; t < group.firstThread + threadsPerKey; t++) union.add(processOf[t]);
        // Past ten nodes a group alone exceeds Jepsen's limit, which would then stall every
        // key; the bench lets each key have at least one round of the group's processes.
        if (union.size() > Math.max(PROCESS_LIMIT, threadsPerKey)) return false;
        group.processes.addAll(union);
        return true;
    }

    /** Jepsen's {@code (gen/mix [w cas cas])}. */
    private static ObjectNode writeOrCas(long key, Random random) {
        if (random.nextInt(3) == 0) {
            return Json.body("write").put("key", key).put("value", random.nextInt(VALUES));
        }
        return Json.body("cas").put("key", key).put("from", random.nextInt(VALUES)).put("to", random.nextInt(VALUES));
    }

    @Override
    public boolean idempotent(String f) {
        return f.equals("read");
    }

    @Override
    public boolean reusableClient() {
        return true;
    }

    @Override
    public Duration requestTimeout() {
        return requestTimeout;
    }

    @Override
    public void completed(Op op) {
        if (op.type() == Op.Type.INFO) processOf[op.process() % concurrency] = op.process() + concurrency;
    }

    @Override
    public Verdict check(List<Op> history) {
        return checker.check(history);
    }
}
