package bench.workload.broadcast;

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
 * Maelstrom's broadcast workload: the topology message at setup, then an even random
 * mix of broadcasts of 0, 1, 2, ... and reads, then one final read per client thread.
 * Judged as Maelstrom judges it, by Jepsen's set-full checker with broadcasts for adds.
 */
public final class BroadcastWorkload extends FinalReadsWorkload {

    private static final SetFull CHECKER = new SetFull("broadcast", "message", "messages");

    private final String topology;
    private long nextValue;

    /** A broadcast workload using the options' topology and concurrency. */
    public BroadcastWorkload(Options options) {
        super(options.load().concurrency());
        this.topology = options.params().topology();
        // Fails now, before any node starts, on a topology name that does not exist.
        Topology.of(topology, List.of());
    }

    @Override
    public ObjectNode setup(String node, List<String> nodes) {
        ObjectNode body = Json.body("topology");
        body.set("topology", Json.MAPPER.valueToTree(Topology.of(topology, nodes)));
        return body;
    }

    @Override
    public ObjectNode next(int process, Random random) {
        return random.nextBoolean() ? Json.body("broadcast").put("message", nextValue++) : Json.body("read");
    }

    @Override
    public boolean idempotent(String f) {
        return f.equals("read");
    }

    @Override
    public Verdict check(List<Op> history) {
        return CHECKER.check(history);
    }
}
