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
 * that completed must have come back with that same string. As Maelstrom's checker
 * (it pairs each invocation with its ok or fail completion, and an unknown outcome with
 * nothing), an echo that failed definitely is wrong, while one whose outcome is unknown
 * (a timeout, an indefinite error, a reply without an echo field) is not judged.
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
        int unknown = 0;
        for (Op op : history) {
            // Maelstrom's client checks echo_ok's schema: a reply without an echo field is malformed, an unknown outcome.
            if (op.type() == Op.Type.INFO || op.ok() && !op.reply().has("echo")) {
                unknown++;
                continue;
            }
            JsonNode sent = op.request().get("echo");
            JsonNode got = op.ok() ? op.reply().get("echo") : null;
            if (!sent.equals(got)) {
                findings.add("%s to %s at %d ms: sent %s, got %s".formatted(op.client(), op.node(),
                        op.invokedAt() / 1_000_000, sent, op.reply() == null ? "no reply (" + op.type() + ")"
                                : op.reply().toString()));
            }
        }
        ObjectNode details = Json.object().put("ops", history.size()).put("unknown", unknown)
                .put("errors", findings.size());
        return new Verdict(findings.isEmpty() ? Verdict.Validity.VALID : Verdict.Validity.INVALID, details, findings);
    }
}
