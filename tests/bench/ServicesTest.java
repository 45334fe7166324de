package tests.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bench.Json;
import bench.Op;
import bench.Runner;
import bench.service.Services;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Maelstrom's services, called directly: semantics, staleness bounds and error codes. */
class ServicesTest {

    static ObjectNode read(Object key) {
        ObjectNode body = Json.body("read");
        body.set("key", Json.MAPPER.valueToTree(key));
        return body;
    }

    static ObjectNode write(Object key, long value) {
        ObjectNode body = Json.body("write").put("value", value);
        body.set("key", Json.MAPPER.valueToTree(key));
        return body;
    }

    static ObjectNode cas(Object key, long from, long to, boolean create) {
        ObjectNode body = Json.body("cas").put("from", from).put("to", to).put("create_if_not_exists", create);
        body.set("key", Json.MAPPER.valueToTree(key));
        return body;
    }

    static int code(ObjectNode reply) {
        assertEquals("error", reply.path("type").asText(), reply.toString());
        return reply.path("code").asInt();
    }

    @Test
    void linKvReadsWritesAndCasWithMaelstromsErrorCodes() {
        var kv = new Services.LinKv();
        assertEquals(20, code(kv.handle("n0", read("x"))));
        assertEquals("write_ok", kv.handle("n0", write("x", 1)).path("type").asText());
        assertEquals(1, kv.handle("n1", read("x")).path("value").asLong());
        ObjectNode mismatch = kv.handle("n1", cas("x", 5, 6, false));
        assertEquals(22, code(mismatch));
        assertTrue(mismatch.path("text").asText().contains("1"), mismatch.toString());
        assertEquals("cas_ok", kv.handle("n1", cas("x", 1, 2, false)).path("type").asText());
        assertEquals(2, kv.handle("n0", read("x")).path("value").asLong());
        assertEquals(20, code(kv.handle("n0", cas("y", 0, 1, false))));
        assertEquals("cas_ok", kv.handle("n0", cas("y", 0, 1, true)).path("type").asText());
        assertEquals(1, kv.handle("n0", read("y")).path("value").asLong());
        assertNull(kv.handle("n0", Json.body("frobnicate")), "Maelstrom does not answer unknown request types");
    }

    @Test
    void linKvIsLinearizableAcrossClients() {
        var kv = new Services.LinKv();
        var random = new Random(3);
        long last = -1;
        for (int i = 0; i < 500; i++) {
            String client = "n" + random.nextInt(5);
            if (random.nextBoolean()) {
                kv.handle(client, write("k", i));
                last = i;
            } else {
                ObjectNode reply = kv.handle(client, read("k"));
                if (last < 0) {
                    assertEquals(20, code(reply));
                } else {
                    assertEquals(last, reply.path("value").asLong(), "a read must see the latest write");
                }
            }
        }
    }

    @Test
    void seqKvShowsAClientItsOwnWritesAndNeverGoesBackInTime() {
        for (int seed = 0; seed < 50; seed++) {
            var kv = new Services.SeqKv(new Random(seed));
            long seenByB = -1;
            for (int i = 0; i < 20; i++) {
                kv.handle("a", write("k", i));
                assertEquals(i, kv.handle("a", read("k")).path("value").asLong(), "a reads its own write");
                ObjectNode r = kv.handle("b", read("k"));
                long v = r.path("type").asText().equals("error") ? -1 : r.path("value").asLong();
                assertTrue(v >= seenByB, "b went back from " + seenByB + " to " + v);
                assertTrue(v <= i, "b read a value never written");
                seenByB = v;
            }
        }
    }

    @Test
    void seqKvReadsAreStaleSometimesButNotAlways() {
        Set<Long> values = new HashSet<>();
        for (int seed = 0; seed < 60; seed++) {
            var kv = new Services.SeqKv(new Random(seed));
            kv.handle("b", write("k", 0));
            for (int i = 1; i <= 10; i++) {
                kv.handle("a", write("k", i));
            }
            values.add(kv.handle("b", read("k")).path("value").asLong());
        }
        assertTrue(values.contains(10L), "sometimes fresh: " + values);
        assertTrue(values.stream().anyMatch(v -> v < 10), "sometimes stale: " + values);
        assertTrue(values.stream().allMatch(v -> v >= 0 && v <= 10), "only written values: " + values);
    }

    @Test
    void seqKvCasFailsOnStaleStatesButSucceedsOnlyOnTheNewest() {
        boolean staleFailure = false;
        for (int seed = 0; seed < 60; seed++) {
            var kv = new Services.SeqKv(new Random(seed));
            kv.handle("b", write("k", 0));
            for (int i = 1; i <= 10; i++) {
                kv.handle("a", write("k", i));
            }
            ObjectNode reply = kv.handle("b", cas("k", 10, 11, false));
            if (reply.path("type").asText().equals("error")) {
                assertEquals(22, code(reply));
                staleFailure = true;
            } else {
                assertEquals("cas_ok", reply.path("type").asText());
                assertEquals(11, kv.handle("b", read("k")).path("value").asLong(), "the cas applied to the newest state");
            }
            // A cas from a stale value never succeeds: it would fork history. A new client
            // may see the state before the key existed (20) or a later one (22).
            ObjectNode old = kv.handle("c", cas("k", 3, 99, false));
            assertTrue(Set.of(20, 22).contains(code(old)), old.toString());
            assertTrue(kv.handle("a", read("k")).path("value").asLong() >= 10);
        }
        assertTrue(staleFailure, "a cas from the newest value may fail on a stale state, as Maelstrom allows");
    }

    @Test
    void seqKvAcknowledgesAWriteOfAStaleStatesValueWithoutChangingTheNewestAsMaelstromDoes() {
        boolean quirk = false;
        for (int seed = 0; seed < 60 && !quirk; seed++) {
            var kv = new Services.SeqKv(new Random(seed));
            kv.handle("b", write("k", 5));
            kv.handle("a", write("k", 7));
            assertEquals("write_ok", kv.handle("b", write("k", 5)).path("type").asText());
            quirk = kv.handle("a", read("k")).path("value").asLong() == 7;
        }
        assertTrue(quirk);
    }

    @Test
    void seqKvPicksForAClientLaggingPastItsRingOfStatesWrapAroundAsMaelstromsDo() {
        boolean outOfOrder = false;
        for (int seed = 0; seed < 40 && !outOfOrder; seed++) {
            var kv = new Services.SeqKv(new Random(seed));
            kv.handle("b", write("k", 0));
            for (int i = 1; i <= 100; i++) {
                kv.handle("a", write("k", i));
            }
            long previous = -1;
            for (int r = 0; r < 20; r++) {
                long v = kv.handle("b", read("k")).path("value").asLong();
                assertTrue(v >= 100 - 31, "only the last 32 states are kept: " + v);
                outOfOrder |= v < previous;
                previous = v;
            }
        }
        assertTrue(outOfOrder, "a client more than 32 states behind may see them out of order");
    }

    @Test
    void lwwKvCasNeverCreatesAKey() {
        var kv = new Services.LwwKv(new Random(1));
        assertEquals(20, code(kv.handle("n0", cas("x", 0, 1, true))));
    }

    @Test
    void linTsoCountsFromZero() {
        var tso = new Services.LinTso();
        for (int i = 0; i < 5; i++) {
            assertEquals(i, tso.handle("n0", Json.body("ts")).path("ts").asLong());
        }
    }

    @Test
    void clientsTreatDefiniteErrorsAsFailuresAndTheRestAsUnknown() {
        assertEquals(Op.Type.OK, Runner.classify("read", Json.body("read_ok"), false));
        for (int definite : new int[] {1, 10, 11, 12, 14, 20, 21, 22, 30}) {
            assertEquals(Op.Type.FAIL, Runner.classify("read", Services.error(definite, ""), false), "code " + definite);
        }
        for (int indefinite : new int[] {0, 13, 1000}) {
            assertEquals(Op.Type.INFO, Runner.classify("read", Services.error(indefinite, ""), false), "code " + indefinite);
            assertEquals(Op.Type.FAIL, Runner.classify("read", Services.error(indefinite, ""), true), "idempotent " + indefinite);
        }
        assertEquals(Op.Type.INFO, Runner.classify("read", null, false));
        assertEquals(Op.Type.FAIL, Runner.classify("read", null, true), "an idempotent timeout certainly changed nothing");
        assertEquals(Op.Type.INFO, Runner.classify("read", Json.body("write_ok"), true), "malformed replies are unknown");
    }
}
