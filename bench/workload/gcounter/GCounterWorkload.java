package bench.workload.gcounter;

import bench.Options;
import bench.workload.pncounter.PnCounterWorkload;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Random;

/**
 * Maelstrom's g-counter workload, which is its pn-counter workload with the adds of
 * negative deltas left out of the generator: adds of 0 to 4 and reads, then one final
 * read per client thread, judged by the same checker.
 */
public final class GCounterWorkload extends PnCounterWorkload {

    /** A g-counter workload using the options' concurrency. */
    public GCounterWorkload(Options options) {
        super(options);
    }

    @Override
    public ObjectNode next(int process, Random random) {
        // Maelstrom mixes adds of -5..4 and reads evenly, then drops the negative adds:
        // two reads for each add, deltas 0..4.
        while (true) {
            ObjectNode body = super.next(process, random);
            if (body.path("delta").asLong() >= 0) {
                return body;
            }
        }
    }
}
