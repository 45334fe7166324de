package tests.support;

import bench.Json;
import bench.Op;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A hand-made history of txn operations for the txn checkers' tests, one transaction at a
 * time. Each takes 0.5 ms and starts 1 ms after the one before, so each follows the
 * previous in realtime, unless {@link #at} places it.
 */
public final class HandMadeHistory {

    /** The operations so far, in invocation order. */
    public final List<Op> ops = new ArrayList<>();
    private long nextInvoke = -1;
    private long nextComplete;

    /** Places the next transaction: invoked and completed at these times, in ms. */
    public HandMadeHistory at(long invokedMillis, long completedMillis) {
        nextInvoke = invokedMillis * 1_000_000;
        nextComplete = completedMillis * 1_000_000;
        return this;
    }

    /**
     * A transaction by {@code process}: its request (reads with null) and, when ok, the
     * node's reply; a failed one gets error 30.
     */
    public HandMadeHistory txn(int process, Op.Type type, String request, String reply) {
        long invoked = nextInvoke >= 0 ? nextInvoke : ops.size() * 1_000_000L;
        long completed = nextInvoke >= 0 ? nextComplete : invoked + 500_000;
        nextInvoke = -1;
        ObjectNode req = body("txn", request);
        ObjectNode rep = type == Op.Type.OK ? body("txn_ok", reply) : null;
        if (type == Op.Type.FAIL) rep = parse("{\"type\":\"error\",\"code\":30,\"text\":\"conflict\"}");
        ops.add(new Op(process, "c" + process, "n0", "txn", req, rep, type, invoked, completed, false));
        return this;
    }

    /** An ok transaction as completed ({@code [["r",1,[1,2]],["append",1,3]]}); its request has null reads. */
    public HandMadeHistory ok(int process, String completed) {
        return txn(process, Op.Type.OK, completed.replaceAll("\\[\"r\",(\\d+),(\\[[^\\]]*]|\\d+|null)]", "[\"r\",$1,null]"),
                completed);
    }

    private static ObjectNode body(String type, String txn) {
        return parse("{\"type\":\"" + type + "\",\"txn\":" + txn + "}");
    }

    private static ObjectNode parse(String text) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(text, e);
        }
    }
}
