package bench.workload.txn;

import bench.Op;
import bench.report.Verdict;
import bench.workload.KeyPool;
import bench.workload.Workload;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Maelstrom's txn-rw-register workload: each request is one transaction
 * {@code txn{txn:[["r",k,null],["w",k,v]...]}} of 1 to maxTxnLength micro-ops, reads and
 * writes at even odds, keys and values as Elle's {@code wr-txns} draws them (see
 * {@link TxnRequests} and {@link KeyPool}). There is no final phase: Maelstrom's final reads for this workload
 * need a key tracker it does not install, so it performs none (it still heals and waits
 * the quiet period before its empty final phase, which changes nothing the checker sees).
 */
public final class TxnWorkload implements Workload {

    private final TxnRequests requests;
    private final TxnChecker checker;

    /**
     * @param maxTxnLength      most micro-ops per transaction (Maelstrom's default 4)
     * @param keyCount          keys in use at once, or null for Elle's default (10)
     * @param maxWritesPerKey   most writes to one key before it is retired (default 16)
     * @param consistencyModels the models to check, by their command-line names
     *                          ("read-uncommitted", "read-committed")
     */
    public TxnWorkload(int maxTxnLength, Integer keyCount, int maxWritesPerKey, List<String> consistencyModels) {
        this.requests = new TxnRequests(maxTxnLength, keyCount, maxWritesPerKey, "w");
        this.checker = new TxnChecker(Set.copyOf(consistencyModels.stream().map(TxnChecker.Model::of).toList()));
    }

    @Override
    public ObjectNode next(int process, Random random) {
        return requests.next(random);
    }

    /** Maelstrom's txn-rw-register client is reusable ({@code txn_rw_register.clj}, {@code reusable?}). */
    @Override
    public boolean reusableClient() {
        return true;
    }

    @Override
    public Verdict check(List<Op> history) {
        return checker.check(history);
    }
}
