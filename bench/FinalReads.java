package bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Set;

/**
 * The final phase Maelstrom gives broadcast and g-counter: one read from each client
 * thread, whatever process number the thread has come to after timeouts retired its
 * earlier ones.
 */
final class FinalReads {

    private final int concurrency;
    private final Set<Integer> threadsDone = new HashSet<>();

    /** The final reads of {@code concurrency} client threads. */
    FinalReads(int concurrency) {
        this.concurrency = concurrency;
    }

    /** A read for this process's thread if it has not had one, else null. */
    ObjectNode next(int process) {
        return threadsDone.add(process % concurrency) ? Json.body("read") : null;
    }
}
