package bench.workload;

import bench.Json;
import bench.Op;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How the kafka, txn-rw-register and lin-kv checkers cite operations and values in their
 * findings and details: values made comparable, times in seconds, operations as one line or
 * as JSON.
 */
public final class Findings {

    private Findings() {
    }

    /**
     * A JSON value as the checkers compare it: integers as Long (Jackson may parse 5 as
     * an IntNode in one message and a LongNode in another, which are not equal), null as
     * null, anything else as its JSON text.
     */
    public static Object plain(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) return null;
        if (value.isIntegralNumber()) return value.asLong();
        return value.toString();
    }

    /** Nanoseconds as seconds, for readable findings. */
    public static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** Longest request or reply quoted in a finding: a final poll can return thousands of messages. */
    private static final int QUOTE = 300;

    /** One line naming an operation: who sent what to which node, when, and what came back. */
    public static String describe(Op op) {
        return "[process %d %s→%s at %.3f s %s: %s → %s]".formatted(op.process(), op.client(), op.node(),
                seconds(op.invokedAt()), op.type(), quote(op.request()), op.reply() == null ? "no reply" : quote(op.reply()));
    }

    private static String quote(JsonNode body) {
        String text = body.toString();
        return text.length() <= QUOTE ? text : text.substring(0, QUOTE) + "…";
    }

    /** An operation as a JSON object for results.json. */
    public static ObjectNode json(Op op) {
        ObjectNode node = Json.object();
        node.put("process", op.process());
        node.put("client", op.client());
        node.put("node", op.node());
        node.put("type", op.type().name().toLowerCase());
        node.put("invoked_s", seconds(op.invokedAt()));
        node.put("completed_s", seconds(op.completedAt()));
        node.set("request", op.request());
        node.set("reply", op.reply());
        return node;
    }
}
