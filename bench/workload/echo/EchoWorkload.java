package bench.workload.echo;

import bench.Json;
import bench.Op;
import bench.Options;
import bench.report.Verdict;
import bench.workload.Workload;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Maelstrom's echo workload: each request carries a short string, and every operation
 * must come back ok with that same string. As in Maelstrom, an echo that timed out or
 * failed counts as wrong too.
 */
public final class EchoWorkload implements Workload {

    /** An echo workload; it needs no options. */
    public EchoWorkload(Options options) {
    }

    @Override
    public ObjectNode next(int process, Random random) {
        return Json.body("echo").put("echo", "Please echo " + random.nextInt(128));
    }

    @Override
    public Verdict check(List<Op> history) {
        List<String> findings = new ArrayList<>();
        for (Op op : history) {
            JsonNode sent = op.request().get("echo");
            JsonNode got = op.reply() == null ? null : op.reply().get("echo");
            if (!op.ok() || !sent.equals(got)) {
                findings.add("%s to %s at %d ms: sent %s, got %s".formatted(op.client(), op.node(),
                        op.invokedAt() / 1_000_000, sent,
                        op.reply() == null ? "no reply (" + op.type() + ")" : op.reply().toString()));
            }
        }
        ObjectNode details = Json.object().put("ops", history.size()).put("errors", findings.size());
        return new Verdict(findings.isEmpty() ? Verdict.Validity.VALID : Verdict.Validity.INVALID, details, findings);
    }
}
