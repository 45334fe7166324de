package bench.workload;

import bench.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

/**
 * A workload with the final phase Maelstrom gives broadcast and g-counter: one read from
 * each client thread, whatever process number the thread has come to after timeouts
 * retired its earlier ones.
 */
public abstract class FinalReadsWorkload implements Workload {

    private final int concurrency;
    private final Set<Integer> threadsDone = new HashSet<>();

    /** The final reads of {@code concurrency} client threads. */
    protected FinalReadsWorkload(int concurrency) {
        this.concurrency = concurrency;
    }

    @Override
    public final boolean hasFinalPhase() {
        return true;
    }

    /** A read for this process's thread if it has not had one, else null. */
    @Override
    public final ObjectNode nextFinal(int process, Random random) {
        return threadsDone.add(process % concurrency) ? Json.body("read") : null;
    }
}
