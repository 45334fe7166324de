package bench.workload.pncounter;

import bench.Json;
import bench.Op;
import bench.Options;
import bench.report.Verdict;
import bench.workload.FinalReadsWorkload;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/**
 * Maelstrom's pn-counter workload: an even random mix of adds of -5 to 4 and reads, then
 * one final read per client thread. Every final read must equal the sum of the
 * acknowledged adds plus the deltas of some subset of the adds whose outcome is unknown:
 * as Maelstrom's checker does, the acceptable values are built as a set of integer
 * ranges, starting from the acknowledged sum, to which each unknown add's delta adds a
 * shifted copy of every range.
 *
 * <p>Maelstrom's counter client turns every error reply into an unknown outcome, even
 * a definite one, so here any add that did not end ok may have happened.
 */
public class PnCounterWorkload extends FinalReadsWorkload {

    /** A pn-counter workload using the options' concurrency. */
    public PnCounterWorkload(Options options) {
        super(options.load().concurrency());
    }

    @Override
    public ObjectNode next(int process, Random random) {
        return random.nextBoolean() ? Json.body("read") : Json.body("add").put("delta", random.nextInt(10) - 5);
    }

    @Override
    public final Verdict check(List<Op> history) {
        long definite = 0;
        // The acceptable sums as closed ranges, lower bound to upper bound, none touching another.
        var acceptable = new TreeMap<Long, Long>();
        acceptable.put(0L, 0L);
        for (Op op : history) {
            if (!op.f().equals("add")) {
                continue;
            }
            long delta = op.request().path("delta").asLong();
            if (op.ok()) {
                definite += delta;
            } else if (delta != 0) {
                for (var range : List.copyOf(acceptable.entrySet())) {
                    add(acceptable, range.getKey() + delta, range.getValue() + delta);
                }
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
            var below = acceptable.floorEntry(value.asLong() - definite);
            if (below == null || below.getValue() < value.asLong() - definite) {
                findings.add("final read by %s on %s at %d ms returned %d; acceptable: %s".formatted(op.client(),
                        op.node(), op.invokedAt() / 1_000_000, value.asLong(), ranges(acceptable, definite)));
            }
        }
        ObjectNode details = Json.object();
        details.set("final-reads", finalReads);
        details.set("acceptable", ranges(acceptable, definite));
        details.put("acknowledged-sum", definite);
        return new Verdict(findings.isEmpty() ? Verdict.Validity.VALID : Verdict.Validity.INVALID, details, findings);
    }

    /** Adds the range [lo, hi] to {@code ranges}, merging it with every range it overlaps or touches. */
    private static void add(TreeMap<Long, Long> ranges, long lo, long hi) {
        var before = ranges.floorEntry(lo);
        if (before != null && before.getValue() >= lo - 1) {
            lo = before.getKey();
            hi = Math.max(hi, before.getValue());
        }
        for (var next = ranges.ceilingEntry(lo); next != null && next.getKey() <= hi + 1; next = ranges.ceilingEntry(lo)) {
            hi = Math.max(hi, next.getValue());
            ranges.remove(next.getKey());
        }
        ranges.put(lo, hi);
    }

    /** The acceptable values as closed [lower, upper] ranges. */
    private static ArrayNode ranges(TreeMap<Long, Long> ranges, long base) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        ranges.forEach((lo, hi) -> out.addArray().add(base + lo).add(base + hi));
        return out;
    }
}
