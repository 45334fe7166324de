package bench.workload.txn;

import bench.Op;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** How the txn checkers read a history: each txn operation with its micro-ops, as Maelstrom's client records them. */
final class TxnHistory {

    /**
     * A transaction as the checkers see it.
     *
     * @param op   its operation; an ok one whose reply was not a transaction is recorded as INFO
     * @param mops its micro-ops: as the node completed them when ok, else as requested
     */
    record Parsed<M>(Op op, List<M> mops) {
    }

    private TxnHistory() {
    }

    /**
     * The txn operations of a history, in order, with micro-ops read by {@code mops}
     * (which returns null for a malformed transaction).
     */
    static <M> List<Parsed<M>> parse(List<Op> history, Function<JsonNode, List<M>> mops) {
        var txns = new ArrayList<Parsed<M>>();
        for (Op op : history) {
            if (!"txn".equals(op.f())) continue;
            List<M> completed = op.ok() && op.reply() != null ? mops.apply(op.reply().get("txn")) : null;
            // A reply that is not a transaction fails Maelstrom's schema check, which makes the op indefinite.
            Op seen = completed == null && op.ok()
                    ? new Op(op.process(), op.client(), op.node(), op.f(), op.request(), op.reply(), Op.Type.INFO,
                    op.invokedAt(), op.completedAt(), op.isFinal())
                    : op;
            List<M> requested = completed != null ? completed : mops.apply(op.request().get("txn"));
            txns.add(new Parsed<>(seen, requested == null ? List.of() : requested));
        }
        return txns;
    }
}
