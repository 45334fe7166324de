package bench.workload.txn;

import bench.Op;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** How the txn checkers read a history: each txn operation with its micro-ops, as Maelstrom's client records them. */
final class TxnHistory {

    /** Makes a checker's transaction: its index in the history's transactions, its operation and micro-ops. */
    @FunctionalInterface
    interface Maker<M, T> {
        /**
         * @param op   its operation; an ok one whose reply was not a transaction is recorded as INFO
         * @param mops its micro-ops: as the node completed them when ok, else as requested
         */
        T make(int id, Op op, List<M> mops);
    }

    private TxnHistory() {
    }

    /**
     * The txn operations of a history, in order, as {@code maker} makes them, with
     * micro-ops read by {@code mops} (which returns null for a malformed transaction).
     */
    static <M, T> List<T> parse(List<Op> history, Function<JsonNode, List<M>> mops, Maker<M, T> maker) {
        var txns = new ArrayList<T>();
        for (Op op : history) {
            if (!"txn".equals(op.f())) continue;
            List<M> completed = op.ok() && op.reply() != null ? mops.apply(op.reply().get("txn")) : null;
            // A reply that is not a transaction fails Maelstrom's schema check, which makes the op indefinite.
            Op seen = completed == null && op.ok()
                    ? new Op(op.process(), op.client(), op.node(), op.f(), op.request(), op.reply(), Op.Type.INFO,
                    op.invokedAt(), op.completedAt(), op.isFinal())
                    : op;
            List<M> requested = completed != null ? completed : mops.apply(op.request().get("txn"));
            txns.add(maker.make(txns.size(), seen, requested == null ? List.of() : requested));
        }
        return txns;
    }

    /** A write of a value to a key, as either workload's micro-op makes one (a register's write, a list's append). */
    record Written(Object key, Object value) {
    }

    /**
     * For G1b: per key, per value, the transaction that wrote the value and then wrote the
     * key again within itself, so that the value was only ever an intermediate state.
     * {@code writes} gives a transaction's writes in order.
     */
    static <T> Map<Object, Map<Object, T>> overwrittenWithin(List<T> txns, Function<T, List<Written>> writes) {
        var intermediate = new HashMap<Object, Map<Object, T>>();
        for (T t : txns) {
            var last = new HashMap<Object, Object>();
            for (Written w : writes.apply(t)) {
                if (last.containsKey(w.key())) {
                    intermediate.computeIfAbsent(w.key(), k -> new HashMap<>()).put(last.get(w.key()), t);
                }
                last.put(w.key(), w.value());
            }
        }
        return intermediate;
    }
}
