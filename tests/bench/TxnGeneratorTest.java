package tests.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bench.workload.Workload;
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

/**
 * The txn-rw-register and txn-list-append generators (Jepsen's, the second with appends for
 * writes): Maelstrom's request shape, unique values per key, bounded writes per key.
 */
class TxnGeneratorTest {

    static final int MAX_LENGTH = 3;
    static final int MAX_WRITES = 5;

    @Test
    void transactionsHaveMaelstromsShapeAndUniqueBoundedWrites() {
        hasMaelstromsShapeAndUniqueBoundedWrites(TxnWorkload.rwRegister(MAX_LENGTH, null, MAX_WRITES, List.of("read-committed")),
                "w");
    }

    @Test
    void listAppendTransactionsAppendUniqueBoundedValues() {
        hasMaelstromsShapeAndUniqueBoundedWrites(TxnWorkload.listAppend(MAX_LENGTH, null, MAX_WRITES,
                List.of("strict-serializable")), "append");
    }

    private static void hasMaelstromsShapeAndUniqueBoundedWrites(Workload workload, String write) {
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
                String f = mop.get(0).asText();
                if (f.equals("r")) {
                    assertTrue(mop.get(2).isNull(), mop.toString());
                } else {
                    assertEquals(write, f, mop.toString());
                    assertTrue(written.computeIfAbsent(key, k -> new HashSet<>()).add(mop.get(2).asLong()),
                            "value written twice to key " + key + ": " + mop);
                }
            }
        }
        assertEquals(Set.of(1, 2, 3), lengths);
        written.forEach((key, values) -> assertTrue(values.size() <= MAX_WRITES, "key " + key + " got " + values));
        assertTrue(keys.size() > 100, "keys are retired and replaced: " + keys.size());
        assertNull(workload.nextFinal(0, random), "Maelstrom performs no final reads for either");
    }
}
