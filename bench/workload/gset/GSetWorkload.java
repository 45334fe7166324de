package bench.workload.gset;

import bench.Json;
import bench.Op;
import bench.Options;
import bench.report.Verdict;
import bench.workload.FinalReadsWorkload;
import bench.workload.SetFull;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Random;

/**
 * Maelstrom's g-set workload: an even random mix of adds of the elements 0, 1, 2, ... and
 * reads, then one read per client thread after the quiet period; judged by Jepsen's
 * set-full checker, as Maelstrom judges it. Maelstrom's g-set client names no operation
 * idempotent: a read that times out is of unknown outcome, and retires its process.
 */
public final class GSetWorkload extends FinalReadsWorkload {

    private static final SetFull CHECKER = new SetFull("add", "element", "value");

    private long nextElement;

    /** A g-set workload using the options' concurrency. */
    public GSetWorkload(Options options) {
        super(options.load().concurrency());
    }

    @Override
    public ObjectNode next(int process, Random random) {
        return random.nextBoolean() ? Json.body("add").put("element", nextElement++) : Json.body("read");
    }

    @Override
    public Verdict check(List<Op> history) {
        return CHECKER.check(history);
    }
}
