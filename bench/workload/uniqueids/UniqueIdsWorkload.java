package bench.workload.uniqueids;

import bench.Json;
import bench.Op;
import bench.Options;
import bench.report.Verdict;
import bench.workload.Workload;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Maelstrom's unique-ids workload: clients ask for ids, and no id may be handed out
 * twice. Like Jepsen's checker it also reports the range of ids, which needs them to
 * be mutually comparable (all numbers or all strings); when they are not, the verdict
 * is unknown, as Jepsen's checker fails on them.
 */
public final class UniqueIdsWorkload implements Workload {

    /** A unique-ids workload; it needs no options. */
    public UniqueIdsWorkload(Options options) {
    }

    @Override
    public ObjectNode next(int process, Random random) {
        return Json.body("generate");
    }

    @Override
    public boolean reusableClient() {
        return true;
    }

    @Override
    public Verdict check(List<Op> history) {
        Map<JsonNode, List<Op>> byId = new HashMap<>();
        List<JsonNode> ids = new ArrayList<>();
        for (Op op : history) {
            // A generate_ok without an id is malformed: Maelstrom records it as unknown.
            if (op.ok() && op.reply().has("id")) {
                JsonNode id = Json.normalize(op.reply().get("id"));
                ids.add(id);
                byId.computeIfAbsent(id, k -> new ArrayList<>()).add(op);
            }
        }
        List<String> findings = new ArrayList<>();
        ObjectNode duplicated = Json.object();
        byId.forEach((id, ops) -> {
            if (ops.size() > 1) {
                duplicated.put(id.toString(), ops.size());
                findings.add("id %s handed out %d times: %s".formatted(id, ops.size(), String.join(", ",
                        ops.stream().limit(6).map(o -> "%s by %s at %d ms".formatted(o.client(), o.node(),
                                o.completedAt() / 1_000_000)).toList())));
            }
        });
        ObjectNode details = Json.object().put("attempted-count", history.size())
                .put("acknowledged-count", ids.size()).put("duplicated-count", duplicated.size());
        details.set("duplicated", duplicated);
        Comparator<JsonNode> order = comparator(ids);
        if (order == null) {
            findings.add("ids are not mutually comparable (mixed numbers, strings or other values)");
            return new Verdict(Verdict.Validity.UNKNOWN, details, findings);
        }
        if (!ids.isEmpty()) {
            details.putArray("range").add(ids.stream().min(order).orElseThrow()).add(ids.stream().max(order).orElseThrow());
        }
        return new Verdict(findings.isEmpty() ? Verdict.Validity.VALID : Verdict.Validity.INVALID, details, findings);
    }

    /** An order over the ids when they are all numbers or all strings, else null. */
    static Comparator<JsonNode> comparator(List<JsonNode> ids) {
        if (ids.stream().allMatch(JsonNode::isNumber)) {
            return Comparator.comparing(JsonNode::decimalValue);
        }
        if (ids.stream().allMatch(JsonNode::isTextual)) {
            return Comparator.comparing(JsonNode::textValue);
        }
        return null;
    }
}
