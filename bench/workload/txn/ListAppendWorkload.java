package bench.workload.txn;

import bench.Op;
import bench.report.Verdict;
import bench.workload.Workload;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Maelstrom's txn-list-append workload: each request is one transaction
 * {@code txn{txn:[["r",k,null],["append",k,v]...]}}, drawn as Jepsen's list-append
 * generator draws them (Elle's {@code wr-txns} with appends for writes, see
 * {@link TxnRequests}): appended values unique per key, keys retired after
 * max-writes-per-key. A node answers {@code txn_ok} with each read's list filled in (null
 * for a key never appended to), or error 30 when the transaction certainly did not happen.
 * Checked by {@link ListAppendChecker}. Maelstrom's client is reusable across processes.
 * There is no final phase: Jepsen's final reads for it need a key tracker Maelstrom does
 * not install, so its final generator makes no operation.
 */
public final class ListAppendWorkload implements Workload {

    private final TxnRequests requests;
    private final ListAppendChecker checker;

    /**
     * @param maxTxnLength      most micro-ops per transaction (Maelstrom's default 4)
     * @param keyCount          keys in use at once, or null for Elle's default (10)
     * @param maxWritesPerKey   most appends to one key before it is retired (default 16)
     * @param consistencyModels the models to check, by their command-line names ("strict-serializable", ...)
     */
    public ListAppendWorkload(int maxTxnLength, Integer keyCount, int maxWritesPerKey, List<String> consistencyModels) {
        this.requests = new TxnRequests(maxTxnLength, keyCount, maxWritesPerKey, "append");
        this.checker = new ListAppendChecker(Set.copyOf(consistencyModels.stream().map(Consistency.Model::of).toList()));
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
        return checker.check(history);
    }
}
