package tests.challenges;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tests.support.Nodes;
import tests.support.Restartable;

/**
 * The solutions through a SIGKILL and a restart, as Maelstrom's kill fault restarts them
 * (a fresh init, the same node id), each incarnation through a wrapper of its own that
 * does not exec it: what was acknowledged before the kill is there after it. A node of
 * another test starts empty while the first test still goes. Each check is also run
 * against a node that keeps its state in memory only, which it must reject.
 */
class RestartTest {

    static final String IDS_IN_MEMORY = "tests/broken/ids-repeat.java";
    static final String BROADCAST_IN_MEMORY = "tests/broken/broadcast-no-gossip.java";
    static final String KAFKA_IN_MEMORY = "tests/fixtures/kafka-simple.java";
    static final String TXN_IN_MEMORY = "tests/fixtures/txn-simple.java";
    static final String COUNTER_IN_MEMORY = "tests/broken/counter-in-memory.java";
    static final String GSET_IN_MEMORY = "tests/broken/gset-no-gossip.java";
    static final String PN_COUNTER_IN_MEMORY = "tests/broken/pncounter-counts-twice.java";

    @BeforeAll
    static void prepare() throws Exception {
        Nodes.prepare("unique-ids", "broadcast", "g-counter", "kafka", "txn-rw-register", "lin-kv", "g-set",
                "pn-counter", IDS_IN_MEMORY, BROADCAST_IN_MEMORY, COUNTER_IN_MEMORY, KAFKA_IN_MEMORY, TXN_IN_MEMORY,
                GSET_IN_MEMORY, PN_COUNTER_IN_MEMORY);
    }

    /** Asserts that {@code check} fails on the assertion named by {@code message}: it caught the loss, not something else. */
    static void assertLost(String message, Executable check) {
        AssertionError failure = assertThrows(AssertionError.class, check);
        assertTrue(failure.getMessage().startsWith(message), "failed elsewhere: " + failure.getMessage());
    }

    static String ok(JsonNode body) {
        assertTrue(body.path("type").asText().endsWith("_ok"), "not ok: " + body);
        return body.path("type").asText();
    }

    // unique-ids

    @Test
    void idsNeverRepeatAcrossRestartsWhereACounterInMemoryDoes() throws Exception {
        idsNeverRepeat("unique-ids");
        assertLost("every id is distinct", () -> idsNeverRepeat(IDS_IN_MEMORY));
    }

    /** Three starts of n0, a hundred ids each: all distinct. */
    static void idsNeverRepeat(String name) throws Exception {
        var ids = new HashSet<String>();
        int asked = 0;
        try (var run = Restartable.start(name)) {
            for (int start = 0; start < 3; start++) {
                if (start > 0) run.kill();
                ok(run.init("n0", "n0", "n1"));
                for (int i = 1; i <= 100; i++, asked++) ids.add(run.call("c1", "n0", "{\"type\":\"generate\",\"msg_id\":" + i + "}").get("id").asText());
            }
        }
        assertEquals(asked, ids.size(), "every id is distinct: " + new TreeSet<>(ids));
    }

    @Test
    void aNewRunOfUniqueIdsStartsItsIncarnationsAfresh() throws Exception {
        try (var first = Restartable.start("unique-ids"); var second = Restartable.start("unique-ids")) {
            ok(first.init("n0", "n0"));
            first.kill();
            ok(first.init("n0", "n0"));
            assertEquals("n0-2-1", first.call("c1", "n0", "{\"type\":\"generate\",\"msg_id\":1}").get("id").asText());
            ok(second.init("n0", "n0"));
            assertEquals("n0-1-1", second.call("c1", "n0", "{\"type\":\"generate\",\"msg_id\":1}").get("id").asText());
        }
    }

    // broadcast

    @Test
    void broadcastKeepsEveryValueItAcknowledgedOrTookFromAPeerWhichANodeInMemoryLoses() throws Exception {
        broadcastKeepsValues("broadcast");
        assertLost("what the node held before the kill", () -> broadcastKeepsValues(BROADCAST_IN_MEMORY));
    }

    /**
     * The hub n0 of two takes 50 client values and 2 of n1's, is killed, restarted: a read
     * returns all 52, and its next client value is numbered after its first 50.
     */
    static void broadcastKeepsValues(String name) throws Exception {
        try (var run = Restartable.start(name)) {
            ok(run.init("n0", "n0", "n1"));
            for (int v = 1; v <= 50; v++) ok(run.call("c1", "n0", "{\"type\":\"broadcast\",\"message\":" + v + ",\"msg_id\":" + v + "}"));
            run.send("n1", "n0", "{\"type\":\"gossip\",\"runs\":[{\"origin\":1,\"from\":0,\"values\":[1001,1002]}],\"known\":[0,2]}");
            Thread.sleep(500); // the hub takes it; a gossip asks no answer
            run.kill();
            ok(run.init("n0", "n0", "n1"));
            JsonNode read = run.call("c1", "n0", "{\"type\":\"read\",\"msg_id\":100}");
            Set<Long> values = new TreeSet<>();
            read.get("messages").forEach(m -> values.add(m.asLong()));
            Set<Long> expected = new TreeSet<>(List.of(1001L, 1002L));
            for (long v = 1; v <= 50; v++) expected.add(v);
            assertEquals(expected, values, "what the node held before the kill");
            ok(run.call("c1", "n0", "{\"type\":\"broadcast\",\"message\":51,\"msg_id\":101}"));
            JsonNode fanOut = run.nextTo("n1", Duration.ofSeconds(5)).get("body"); // all it holds, once, as n1 confirmed none
            boolean numbered = false;
            for (JsonNode r : fanOut.get("runs")) {
                if (r.get("origin").asInt() == 0) numbered = r.get("from").asInt() + r.get("values").size() == 51
                        && r.get("values").get(r.get("values").size() - 1).asLong() == 51;
            }
            assertTrue(numbered, "value 51 is n0's 51st: " + fanOut);
        }
    }

    @Test
    void aNewRunOfBroadcastStartsEmpty() throws Exception {
        try (var first = Restartable.start("broadcast"); var second = Restartable.start("broadcast")) {
            ok(first.init("n0", "n0"));
            ok(first.call("c1", "n0", "{\"type\":\"broadcast\",\"message\":7,\"msg_id\":1}"));
            ok(second.init("n0", "n0"));
            assertEquals(0, second.call("c1", "n0", "{\"type\":\"read\",\"msg_id\":1}").get("messages").size());
        }
    }

    /**
     * A wall clock stepped forward by a day while a node is down, and another test's node
     * starting meanwhile (which cleans what it takes for abandoned), lose nothing.
     */
    @Test
    void aClockStepWhileANodeIsDownAndAnotherTestStartingLoseNothing() throws Exception {
        try (var run = Restartable.start("broadcast"); var other = Restartable.start("broadcast")) {
            ok(run.init("n0", "n0"));
            ok(run.call("c1", "n0", "{\"type\":\"broadcast\",\"message\":7,\"msg_id\":1}"));
            run.kill();
            try (var files = Files.list(run.folder("n0"))) {
                for (Path file : files.toList()) {
                    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofDays(1))));
                }
            }
            ok(other.init("n0", "n0"));
            ok(run.init("n0", "n0"));
            assertEquals("[7]", run.call("c1", "n0", "{\"type\":\"read\",\"msg_id\":2}").get("messages").toString());
        }
    }

    // g-counter

    @Test
    void gCounterKeepsItsAcknowledgedCountWhereACounterInMemoryLosesIt() throws Exception {
        counterKeepsCount("g-counter");
        assertLost("the count after the kill", () -> counterKeepsCount(COUNTER_IN_MEMORY));
    }

    /** A lone node takes 30 adds, is killed and restarted: a read returns their sum, and the next add counts on from it. */
    static void counterKeepsCount(String name) throws Exception {
        try (var run = Restartable.start(name)) {
            ok(run.init("n0", "n0"));
            long sum = 0;
            for (int delta = 1; delta <= 30; delta++) {
                ok(run.call("c1", "n0", "{\"type\":\"add\",\"delta\":" + delta + ",\"msg_id\":" + delta + "}"));
                sum += delta;
            }
            run.kill();
            ok(run.init("n0", "n0"));
            assertEquals(sum, run.call("c1", "n0", "{\"type\":\"read\",\"msg_id\":40}").get("value").asLong(),
                    "the count after the kill");
            ok(run.call("c1", "n0", "{\"type\":\"add\",\"delta\":100,\"msg_id\":41}"));
            assertEquals(sum + 100, run.call("c1", "n0", "{\"type\":\"read\",\"msg_id\":42}").get("value").asLong());
        }
    }

    // kafka

    @Test
    void kafkaKeepsSendsAndCommitsAndNumbersOnWhereANodeInMemoryLosesItsLog() throws Exception {
        kafkaKeepsSendsAndCommits("kafka");
        assertLost("the log after the kill", () -> kafkaKeepsSendsAndCommits(KAFKA_IN_MEMORY));
    }

    /**
     * A lone node takes 20 sends over two keys and a commit, is killed and restarted:
     * polls return the same messages at the same offsets, the commit is listed, and the
     * next send's offset follows the last.
     */
    static void kafkaKeepsSendsAndCommits(String name) throws Exception {
        try (var run = Restartable.start(name)) {
            ok(run.init("n0", "n0"));
            var offsets = new ArrayList<Long>();
            for (int i = 0; i < 20; i++) {
                String key = i % 2 == 0 ? "a" : "b";
                offsets.add(run.call("c1", "n0", "{\"type\":\"send\",\"key\":\"" + key + "\",\"msg\":" + i + ",\"msg_id\":" + i + "}")
                        .get("offset").asLong());
            }
            ok(run.call("c1", "n0", "{\"type\":\"commit_offsets\",\"offsets\":{\"a\":" + offsets.get(8) + "},\"msg_id\":50}"));
            String before = run.call("c1", "n0", "{\"type\":\"poll\",\"offsets\":{\"a\":0,\"b\":0},\"msg_id\":51}").get("msgs").toString();
            run.kill();
            ok(run.init("n0", "n0"));
            assertEquals(before, run.call("c1", "n0", "{\"type\":\"poll\",\"offsets\":{\"a\":0,\"b\":0},\"msg_id\":52}").get("msgs").toString(),
                    "the log after the kill");
            assertEquals(offsets.get(8), run.call("c1", "n0", "{\"type\":\"list_committed_offsets\",\"keys\":[\"a\"],\"msg_id\":53}")
                    .get("offsets").get("a").asLong());
            long next = run.call("c1", "n0", "{\"type\":\"send\",\"key\":\"a\",\"msg\":99,\"msg_id\":54}").get("offset").asLong();
            assertTrue(next > offsets.get(18), "offset " + next + " after " + offsets.get(18));
        }
    }

    // txn

    @Test
    void txnKeepsItsWritesItsClockAndResendsItsOwnVersionsWhereANodeInMemoryLosesThem() throws Exception {
        txnKeepsWrites("txn-rw-register");
        assertLost("reads after the kill", () -> txnKeepsWrites(TXN_IN_MEMORY));
    }

    /**
     * n0 of two writes keys 1 and 2, and takes n1's version of key 3 stamped 50; killed
     * and restarted, it reads all three, and what it sends n1 carries its own versions
     * again and stamps above 50.
     */
    static void txnKeepsWrites(String name) throws Exception {
        try (var run = Restartable.start(name)) {
            ok(run.init("n0", "n0", "n1"));
            ok(run.call("c1", "n0", "{\"type\":\"txn\",\"txn\":[[\"w\",1,10],[\"w\",2,20]],\"msg_id\":1}"));
            run.send("n1", "n0", "{\"type\":\"replicate\",\"versions\":[{\"key\":3,\"value\":30,\"clock\":50,\"node\":\"n1\"}],\"msg_id\":7}");
            run.replyTo("n1", 7, Duration.ofSeconds(5)); // taken (a node without replication answers it with an error)
            run.kill();
            ok(run.init("n0", "n0", "n1"));
            JsonNode read = run.call("c1", "n0", "{\"type\":\"txn\",\"txn\":[[\"r\",1,null],[\"r\",2,null],[\"r\",3,null],[\"w\",4,40]],\"msg_id\":3}");
            assertEquals("[[\"r\",1,10],[\"r\",2,20],[\"r\",3,30],[\"w\",4,40]]", read.get("txn").toString(), "reads after the kill");
            var resent = new HashSet<Long>();
            long newest = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!resent.containsAll(List.of(1L, 2L, 4L)) && System.nanoTime() < deadline) {
                JsonNode batch = run.nextTo("n1", Duration.ofSeconds(5)).get("body");
                if (!batch.path("type").asText().equals("replicate")) continue;
                for (JsonNode v : batch.get("versions")) {
                    resent.add(v.get("key").asLong());
                    if (v.get("key").asLong() == 4) newest = v.get("clock").asLong();
                }
            }
            assertTrue(resent.containsAll(List.of(1L, 2L, 4L)), "n0's versions go to n1 again: " + resent);
            assertTrue(newest > 50, "the new write's stamp " + newest + " outranks the stamp 50 it held");
        }
    }

    // g-set and pn-counter

    @Test
    void gSetKeepsEveryElementItAcknowledgedOrTookFromAPeerWhichANodeInMemoryLoses() throws Exception {
        gSetKeepsElements("g-set");
        assertLost("the elements after the kill", () -> gSetKeepsElements(GSET_IN_MEMORY));
    }

    /**
     * The hub n0 of two takes 20 client elements and one of n1's (as n1 would send it), is
     * killed and restarted: a read returns all 21.
     */
    static void gSetKeepsElements(String name) throws Exception {
        try (var run = Restartable.start(name)) {
            ok(run.init("n0", "n0", "n1"));
            for (int e = 1; e <= 20; e++) ok(run.call("c1", "n0", "{\"type\":\"add\",\"element\":" + e + ",\"msg_id\":" + e + "}"));
            run.send("n1", "n0", "{\"type\":\"gossip\",\"runs\":[{\"origin\":1,\"from\":0,\"to\":1,"
                    + "\"delta\":{\"elements\":[1001]}}],\"known\":[0,1],\"answer_now\":false}");
            Thread.sleep(500); // the hub takes it; a gossip asks no answer
            run.kill();
            ok(run.init("n0", "n0", "n1"));
            var elements = new TreeSet<Long>();
            run.call("c1", "n0", "{\"type\":\"read\",\"msg_id\":100}").get("value").forEach(e -> elements.add(e.asLong()));
            var expected = new TreeSet<>(List.of(1001L));
            for (long e = 1; e <= 20; e++) expected.add(e);
            assertEquals(expected, elements, "the elements after the kill");
        }
    }

    @Test
    void pnCounterKeepsItsTotalsAcrossAKillAndCountsOnWhereANodeInMemoryForgetsThem() throws Exception {
        pnCounterKeepsTotals("pn-counter");
        assertLost("the total after the kill", () -> pnCounterKeepsTotals(PN_COUNTER_IN_MEMORY));
    }

    /** A lone node takes adds up and down, is killed and restarted, takes one more: a read gives their sum. */
    static void pnCounterKeepsTotals(String name) throws Exception {
        try (var run = Restartable.start(name)) {
            ok(run.init("n0", "n0"));
            long[] deltas = {4, -5, 3, -1};
            for (int i = 0; i < deltas.length; i++) {
                ok(run.call("c1", "n0", "{\"type\":\"add\",\"delta\":" + deltas[i] + ",\"msg_id\":" + i + "}"));
            }
            run.kill();
            ok(run.init("n0", "n0"));
            ok(run.call("c1", "n0", "{\"type\":\"add\",\"delta\":-2,\"msg_id\":10}"));
            assertEquals(-1, run.call("c1", "n0", "{\"type\":\"read\",\"msg_id\":11}").get("value").asLong(),
                    "the total after the kill");
        }
    }

    // lin-kv

    @Test
    void linKvKeepsItsTermVoteAndLogWhereANodeThatForgetsThemLosesAWrite() throws Exception {
        linKvKeepsWrites(false);
        assertLost("the write after the kill", () -> linKvKeepsWrites(true));
    }

    /**
     * A cluster of one, n0, writes a key and is killed and restarted: it elects itself
     * again and reads the write back from its log. With {@code forget} its folder is
     * removed before the restart, which makes it a node that keeps Raft's state in memory.
     */
    static void linKvKeepsWrites(boolean forget) throws Exception {
        try (var run = Restartable.start("lin-kv")) {
            ok(run.init("n0", "n0"));
            ok(callWhenLed(run, "{\"type\":\"write\",\"key\":1,\"value\":5,\"msg_id\":1}"));
            run.kill();
            if (forget) removeTree(run.folder("n0"));
            ok(run.init("n0", "n0"));
            JsonNode read = callWhenLed(run, "{\"type\":\"read\",\"key\":1,\"msg_id\":2}");
            assertEquals("read_ok 5", read.path("type").asText() + " " + read.path("value"), "the write after the kill: " + read);
        }
    }

    /** The answer to a client's request, asked again while the node answers 11 (no leader yet); at most 10 s. */
    static JsonNode callWhenLed(Restartable run, String body) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            JsonNode answer = run.call("c1", "n0", body);
            if (answer.path("code").asInt() != 11 || System.nanoTime() > deadline) return answer;
            Thread.sleep(100);
        }
    }

    static void removeTree(Path folder) throws Exception {
        try (var paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(path);
        }
    }
}
