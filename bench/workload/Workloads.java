package bench.workload;

import bench.Options;
import bench.workload.broadcast.BroadcastWorkload;
import bench.workload.echo.EchoWorkload;
import bench.workload.gcounter.GCounterWorkload;
import bench.workload.gset.GSetWorkload;
import bench.workload.kafka.KafkaWorkload;
import bench.workload.linkv.LinKvWorkload;
import bench.workload.pncounter.PnCounterWorkload;
import bench.workload.txn.TxnWorkload;
import bench.workload.uniqueids.UniqueIdsWorkload;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The workloads the bench can run, by their Maelstrom names. To add one, add its
 * entry here; nothing else in the bench names workloads.
 */
public final class Workloads {

    private static final Map<String, Function<Options, Workload>> FACTORIES = Map.ofEntries(
            Map.entry("echo", EchoWorkload::new),
            Map.entry("unique-ids", UniqueIdsWorkload::new),
            Map.entry("broadcast", BroadcastWorkload::new),
            Map.entry("g-counter", GCounterWorkload::new),
            Map.entry("g-set", GSetWorkload::new),
            Map.entry("pn-counter", PnCounterWorkload::new),
            Map.entry("kafka", o -> new KafkaWorkload(o.params().keyCount(), o.params().maxWritesPerKey(),
                    o.load().concurrency())),
            Map.entry("lin-kv", LinKvWorkload::new),
            Map.entry("txn-rw-register", o -> TxnWorkload.rwRegister(o.params().maxTxnLength(), o.params().keyCount(),
                    o.params().maxWritesPerKey(), o.params().consistencyModels())),
            Map.entry("txn-list-append", o -> TxnWorkload.listAppend(o.params().maxTxnLength(), o.params().keyCount(),
                    o.params().maxWritesPerKey(), o.params().consistencyModels())));

    private Workloads() {
    }

    /** Whether a workload of this name exists. */
    public static boolean exists(String name) {
        return FACTORIES.containsKey(name);
    }

    /** The known names, sorted. */
    public static Set<String> names() {
        return new TreeSet<>(FACTORIES.keySet());
    }

    /**
     * A fresh workload for a run.
     *
     * @throws IllegalArgumentException for an unknown name or options the workload rejects
     */
    public static Workload create(Options options) {
        Function<Options, Workload> factory = FACTORIES.get(options.workload());
        if (factory == null) {
            throw new IllegalArgumentException("unknown workload " + options.workload() + "; one of " + names());
        }
        return factory.apply(options);
    }
}
