package tests.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bench.workload.txn.TxnWorkload;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The txn-rw-register generator: Maelstrom's request shape, unique values per key, bounded writes per key. */
class TxnGeneratorTest {

    @Test
    void transactionsHaveMaelstromsShapeAndUniqueBoundedWrites() {
        int maxLength = 3;
        int maxWrites = 5;
        var workload = new TxnWorkload(maxLength, null, maxWrites, List.of("read-committed"));
        var random = new Random(7);
        Map<Long, Set<Long>> written = new HashMap<>();
        var lengths = new HashSet<Integer>();
        var keys = new HashSet<Long>();
        for (int i = 0; i < 5000; i++) {
            ObjectNode body = workload.next(i % 4, random);
            assertEquals("txn", body.get("type").asText());
            JsonNode txn = body.get("txn");
            lengths.add(txn.size());
            for (JsonNode mop : txn) {
                assertEquals(3, mop.size(), mop.toString());
                long key = mop.get(1).asLong();
                keys.add(key);
                switch (mop.get(0).asText()) {
                    case "r" -> assertTrue(mop.get(2).isNull(), mop.toString());
                    case "w" -> assertTrue(written.computeIfAbsent(key, k -> new HashSet<>()).add(mop.get(2).asLong()),
                            "value written twice to key " + key + ": " + mop);
                    default -> throw new AssertionError("unknown micro-op " + mop);
                }
            }
        }
        assertEquals(Set.of(1, 2, 3), lengths);
        written.forEach((key, values) -> assertTrue(values.size() <= maxWrites, "key " + key + " got " + values));
        assertTrue(keys.size() > 100, "keys are retired and replaced: " + keys.size());
        assertNull(workload.nextFinal(0, random), "Maelstrom performs no final reads for txn-rw-register");
    }
}
