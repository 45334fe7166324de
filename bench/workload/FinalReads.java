package bench.workload;

import bench.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Set;

/**
 * The final phase Maelstrom gives broadcast and g-counter: one read from each client
 * thread, whatever process number the thread has come to after timeouts retired its
 * earlier ones.
 */
public final class FinalReads {

    private final int concurrency;
    private final Set<Integer> threadsDone = new HashSet<>();

    /** The final reads of {@code concurrency} client threads. */
    public FinalReads(int concurrency) {
        this.concurrency = concurrency;
    }

    /** A read for this process's thread if it has not had one, else null. */
    public ObjectNode next(int process) {
        return threadsDone.add(process % concurrency) ? Json.body("read") : null;
    }
}
