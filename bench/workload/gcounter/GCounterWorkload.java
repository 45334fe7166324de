package bench.workload.gcounter;

import bench.Json;
import bench.Op;
import bench.Options;
import bench.report.Verdict;
import bench.workload.FinalReadsWorkload;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;

/**
 * Maelstrom's g-counter workload: adds of 0 to 4 and reads, then one final read per
 * client thread. Every final read must equal the sum of the acknowledged adds plus
 * the deltas of some subset of the adds whose outcome is unknown.
 *
 * <p>Maelstrom's counter client turns every error reply into an unknown outcome, even
 * a definite one, so here any add that did not end ok may have happened.
 */
public final class GCounterWorkload extends FinalReadsWorkload {

    /** A g-counter workload using the options' concurrency. */
    public GCounterWorkload(Options options) {
        super(options.load().concurrency());
    }

    @Override
    public ObjectNode next(int process, Random random) {
        // Maelstrom mixes adds of -5..4 and reads evenly, then drops the negative adds:
        // two reads for each add, deltas 0..4.
        while (true) {
            if (random.nextBoolean()) {
                return Json.body("read");
            }
            int delta = random.nextInt(10) - 5;
            if (delta >= 0) {
                return Json.body("add").put("delta", delta);
            }
        }
    }

    @Override
    public Verdict check(List<Op> history) {
        long definite = 0;
        // Offsets above the definite sum that some subset of the unknown adds reaches.
        BitSet reachable = new BitSet();
        reachable.set(0);
        for (Op op : history) {
            if (!op.f().equals("add")) {
                continue;
            }
            long delta = op.request().path("delta").asLong();
            if (op.ok()) {
                definite += delta;
            } else if (delta > 0) {
                BitSet shifted = new BitSet();
                reachable.stream().forEach(i -> shifted.set(i + (int) delta));
                reachable.or(shifted);
            }
        }
        List<String> findings = new ArrayList<>();
        ArrayNode finalReads = Json.MAPPER.createArrayNode();
        for (Op op : history) {
            if (!op.isFinal() || !op.ok()) {
                continue;
            }
            JsonNode value = op.reply().get("value");
            if (value == null || !value.isIntegralNumber()) {
                // Maelstrom rejects such a reply as malformed: the read's outcome is unknown.
                continue;
            }
            finalReads.add(value);
            long offset = value.asLong() - definite;
            if (offset < 0 || offset > Integer.MAX_VALUE || !reachable.get((int) offset)) {
                findings.add("final read by %s on %s at %d ms returned %d; acceptable: %s".formatted(op.client(),
                        op.node(), op.invokedAt() / 1_000_000, value.asLong(), ranges(reachable, definite)));
            }
        }
        ObjectNode details = Json.object();
        details.set("final-reads", finalReads);
        details.set("acceptable", ranges(reachable, definite));
        details.put("acknowledged-sum", definite);
        return new Verdict(findings.isEmpty() ? Verdict.Validity.VALID : Verdict.Validity.INVALID, details, findings);
    }

    /** The acceptable values as closed [lower, upper] ranges. */
    private static ArrayNode ranges(BitSet reachable, long base) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (int lo = reachable.nextSetBit(0); lo >= 0; ) {
            int hi = reachable.nextClearBit(lo) - 1;
            out.addArray().add(base + lo).add(base + hi);
            lo = reachable.nextSetBit(hi + 1);
        }
        return out;
    }
}
