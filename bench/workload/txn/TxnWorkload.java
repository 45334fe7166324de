package bench.workload.txn;

import bench.Op;
import bench.report.Verdict;
import bench.workload.KeyPool;
import bench.workload.Workload;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * Maelstrom's two transactional workloads: each request is one transaction
 * {@code txn{txn:[["r",k,null],[W,k,v]...]}} of 1 to maxTxnLength micro-ops, reads and
 * writes at even odds, keys and values as Elle's {@code wr-txns} draws them (see
 * {@link TxnRequests} and {@link KeyPool}): values unique per key, keys retired after
 * max-writes-per-key. In txn-rw-register W is {@code "w"} and a read answers the
 * register's value; in txn-list-append W is {@code "append"} and a read answers the
 * key's list (null for a key never appended to), and error 30 says the transaction
 * certainly did not happen. Maelstrom's clients for both are reusable
 * ({@code reusable?} in {@code txn_rw_register.clj} and {@code txn_list_append.clj}).
 * There is no final phase: Maelstrom's final reads for these workloads need a key
 * tracker it does not install, so it performs none (it still heals and waits the quiet
 * period before its empty final phase, which changes nothing the checker sees).
 */
public final class TxnWorkload implements Workload {

    private final TxnRequests requests;
    private final Function<List<Op>, Verdict> checker;

    private TxnWorkload(TxnRequests requests, Function<List<Op>, Verdict> checker) {
        this.requests = requests;
        this.checker = checker;
    }

    /**
     * txn-rw-register, checked by {@link TxnChecker}.
     *
     * @param maxTxnLength      most micro-ops per transaction (Maelstrom's default 4)
     * @param keyCount          keys in use at once, or null for Elle's default (10)
     * @param maxWritesPerKey   most writes to one key before it is retired (default 16)
     * @param consistencyModels the models to check, by their command-line names
     *                          ("read-uncommitted", "read-committed")
     */
    public static TxnWorkload rwRegister(int maxTxnLength, Integer keyCount, int maxWritesPerKey,
                                         List<String> consistencyModels) {
        var checker = new TxnChecker(Set.copyOf(consistencyModels.stream().map(TxnChecker.Model::of).toList()));
        return new TxnWorkload(new TxnRequests(maxTxnLength, keyCount, maxWritesPerKey, "w"), checker::check);
    }

    /**
     * txn-list-append, checked by {@link ListAppendChecker}; the parameters as
     * {@link #rwRegister}'s, with Elle's model names ("strict-serializable", ...).
     */
    public static TxnWorkload listAppend(int maxTxnLength, Integer keyCount, int maxWritesPerKey,
                                         List<String> consistencyModels) {
        var checker = new ListAppendChecker(Set.copyOf(consistencyModels.stream().map(Consistency.Model::of).toList()));
        return new TxnWorkload(new TxnRequests(maxTxnLength, keyCount, maxWritesPerKey, "append"), checker::check);
    }

    @Override
    public ObjectNode next(int process, Random random) {
        return requests.next(random);
    }

    @Override
    public boolean reusableClient() {
        return true;
    }

    @Override
    public Verdict check(List<Op> history) {
        return checker.apply(history);
    }
}
