package tests.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bench.Json;
import bench.Op;
import bench.workload.linkv.LinKvWorkload;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The lin-kv generator as Jepsen's linearizable-register test drives it: groups of 2 ×
 * node-count threads per key, readers and writers apart, values 0–4, a fresh key once a
 * key has seen 20 processes, Maelstrom's client timeout.
 */
class LinKvGeneratorTest {

    @Test
    void eachGroupOfThreadsHasItsKeyAndHalfOfItReadsOnly() {
        var workload = new LinKvWorkload(3, 12, 0);
        Random random = new Random(1);
        Map<Integer, Set<Long>> keysOfThread = new HashMap<>();
        Map<String, Integer> types = new HashMap<>();
        for (int round = 0; round < 200; round++) {
            for (int thread = 0; thread < 12; thread++) {
                ObjectNode body = workload.next(thread, random);
                keysOfThread.computeIfAbsent(thread, t -> new HashSet<>()).add(body.get("key").asLong());
                String type = Json.type(body);
                types.merge(type, 1, Integer::sum);
                assertEquals(thread % 6 < 3, type.equals("read"), "thread " + thread + " sent " + body);
                for (String field : new String[]{"value", "from", "to"}) {
                    if (body.has(field)) {
                        long v = body.get(field).asLong();
                        assertTrue(v >= 0 && v < 5, body.toString());
                    }
                }
            }
        }
        for (int thread = 0; thread < 12; thread++) {
            assertEquals(Set.of((long) (thread / 6)), keysOfThread.get(thread), "without timeouts a group keeps its key");
        }
        // A third of the writers' requests are writes, two thirds cas.
        double writes = types.get("write") / (double) (types.get("write") + types.get("cas"));
        assertTrue(writes > 0.25 && writes < 0.42, types.toString());
    }

    @Test
    void aKeyIsLeftOnceTwentyProcessesHaveTouchedIt() {
        var workload = new LinKvWorkload(3, 6, 0);
        Random random = new Random(1);
        int process = 0;
        // Six processes to start with; each timeout of thread 0 brings one more.
        for (int timeouts = 0; timeouts < 15; timeouts++) {
            ObjectNode body = workload.next(process, random);
            assertEquals(0, body.get("key").asLong(), "process " + process + " makes " + (6 + timeouts) + " on the key");
            workload.completed(new Op(process, "c0", "n0", "read", body, null, Op.Type.INFO, 0, 1, false));
            process += 6;
        }
        assertEquals(1, workload.next(process, random).get("key").asLong(), "the 21st process takes a fresh key");
    }

    @Test
    void concurrencyMustBeAMultipleOfTheThreadsPerKey() {
        assertThrows(IllegalArgumentException.class, () -> new LinKvWorkload(3, 9, 0));
    }

    @Test
    void clientTimeoutIsTenLatenciesAndAtLeastASecond() {
        assertEquals(Duration.ofSeconds(1), new LinKvWorkload(3, 6, 0).requestTimeout());
        assertEquals(Duration.ofSeconds(2), new LinKvWorkload(3, 6, 200).requestTimeout());
    }

    @Test
    void readsAreIdempotentAndClientsReusable() {
        var workload = new LinKvWorkload(3, 6, 0);
        assertTrue(workload.idempotent("read"));
        assertTrue(!workload.idempotent("cas") && !workload.idempotent("write"));
        assertTrue(workload.reusableClient());
    }
}
