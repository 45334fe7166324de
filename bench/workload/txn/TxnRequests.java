package bench.workload.txn;

import bench.Json;
import bench.workload.KeyPool;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Random;

/**
 * The requests of Maelstrom's transactional workloads, as Elle's {@code wr-txns} draws
 * them (list-append's generator is the same with appends for writes): each is one
 * {@code txn} of 1 to maxTxnLength micro-ops, reads and writes at even odds, keys and
 * values from a {@link KeyPool}, so written values are unique per key.
 */
final class TxnRequests {

    private final int maxTxnLength;
    private final KeyPool pool;
    private final String writeFunction;

    /**
     * @param maxTxnLength    most micro-ops per transaction (Maelstrom's default 4)
     * @param keyCount        keys in use at once, or null for Elle's default (10)
     * @param maxWritesPerKey most writes to one key before it is retired (default 16)
     * @param writeFunction   the name of a write micro-op: "w" for registers, "append" for lists
     */
    TxnRequests(int maxTxnLength, Integer keyCount, int maxWritesPerKey, String writeFunction) {
        if (maxTxnLength < 1) throw new IllegalArgumentException("max-txn-length must be positive");
        this.maxTxnLength = maxTxnLength;
        this.pool = new KeyPool(keyCount, maxWritesPerKey);
        this.writeFunction = writeFunction;
    }

    /** The next request body, {@code txn{txn:[["r",k,null],[write,k,v]...]}}, without msg_id. */
    ObjectNode next(Random random) {
        ObjectNode body = Json.object().put("type", "txn");
        ArrayNode txn = body.putArray("txn");
        int length = 1 + random.nextInt(maxTxnLength);
        for (int i = 0; i < length; i++) {
            KeyPool.Draw draw = pool.draw(random);
            ArrayNode mop = txn.addArray().add(draw.write() ? writeFunction : "r").add(draw.key());
            if (draw.write()) mop.add(draw.value());
            else mop.addNull();
        }
        return body;
    }
}
