package tests.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tests.support.Nodes;
import tests.support.TestLinKv;

/**
 * Speaks the protocol to the real scripts, launched by maelstrom.sh from the temp dir
 * as Maelstrom launches them, and checks that stdout carries nothing but messages.
 */
class ScriptsTest {

    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path TEMP = Path.of(System.getProperty("java.io.tmpdir"));
    static final String SLOW_ECHO = "tests/fixtures/echo-slow.java";

    @BeforeAll
    static void prepare() throws Exception {
        Nodes.prepare("echo", "unique-ids", "broadcast", "kafka", "g-counter", "lin-kv", SLOW_ECHO);
    }

    /** A node process and its stdout, line by line; what it asks lin-kv is answered by a test's own. */
    record Launched(Process process, Writer in, BufferedReader out, TestLinKv linKv, Path log) implements AutoCloseable {
        static Launched start(String... args) throws IOException {
            var command = new ArrayList<>(List.of(ROOT.resolve("maelstrom.sh").toString()));
            command.addAll(List.of(args));
            Path log = Files.createTempFile("node", ".log");
            Process p = new ProcessBuilder(command).directory(TEMP.toFile())
                    .redirectError(ProcessBuilder.Redirect.to(log.toFile())).start();
            return new Launched(p, new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8),
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)), new TestLinKv(),
                    log);
        }

        /** What the node logged so far, for a failure's message. */
        String logged() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }

        void send(String line) throws IOException {
            in.write(line + "\n");
            in.flush();
        }

        JsonNode next() throws IOException {
            while (true) {
                String line = out.readLine();
                assertNotNull(line, "the node ended its output");
                JsonNode message = NodeHarness.JSON.readTree(line);
                String answer = linKv.answer(message);
                if (answer == null) return message;
                send(answer);
            }
        }

        /** The next message, or null when none comes {@code within}: the node writes whole lines at once. */
        JsonNode next(Duration within) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + within.toNanos();
            while (!out.ready()) {
                if (System.nanoTime() > deadline) return null;
                Thread.sleep(10);
            }
            return next();
        }

        /** The next message sent to {@code dest}, skipping others; fails after {@code within}. */
        JsonNode nextTo(String dest, Duration within) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + within.toNanos();
            for (JsonNode m; (m = next(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) != null; ) {
                if (m.get("dest").asText().equals(dest)) return m;
            }
            throw new AssertionError("nothing sent to " + dest + " within " + within);
        }

        /** Closes stdin and returns every remaining line, checking each is a message. */
        List<JsonNode> rest() throws IOException, InterruptedException {
            in.close();
            var lines = new ArrayList<JsonNode>();
            for (String line; (line = out.readLine()) != null; ) {
                JsonNode message = NodeHarness.JSON.readTree(line);
                assertTrue(message.has("src") && message.has("dest") && message.has("body"), "not a message: " + line);
                lines.add(message);
            }
            assertTrue(process.waitFor(10, TimeUnit.SECONDS), "the node did not exit when stdin closed");
            return lines;
        }

        @Override
        public void close() {
            process.destroyForcibly();
            log.toFile().delete();
        }
    }

    static String init(String id, String... all) {
        return "{\"src\":\"c0\",\"dest\":\"" + id + "\",\"body\":{\"type\":\"init\",\"node_id\":\"" + id
                + "\",\"node_ids\":[\"" + String.join("\",\"", all) + "\"],\"msg_id\":1}}";
    }

    /**
     * A pause fault in front of a handler that waits two seconds: a request that waited
     * in stdin while the process was stopped is answered only if the answer can still
     * reach its client, whose 5 s count from when it sent; never later, whatever the
     * stop's length (Maelstrom would stop reading the node). After a short stop it is
     * answered, and after every stop the next request is.
     */
    @Test
    void noAnswerLeavesAfterItsClientsTimeoutWhateverTheStopBeforeAHandlerThatWaits() throws Exception {
        List<Long> pauses = List.of(1000L, 2000L, 3000L, 3500L, 4000L, 4500L);
        var outcomes = new java.util.concurrent.ConcurrentHashMap<Long, Long>(); // pause -> ms to the answer, or -1
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var runs = new ArrayList<java.util.concurrent.Future<?>>();
            for (long pause : pauses) {
                runs.add(threads.submit(() -> {
                    try (var node = Launched.start(SLOW_ECHO)) {
                        node.send(init("n0", "n0"));
                        assertEquals("init_ok", node.next().get("body").get("type").asText());
                        signal("STOP", node.process());
                        long sent = System.nanoTime();
                        node.send("{\"src\":\"c1\",\"dest\":\"n0\",\"body\":{\"type\":\"echo\",\"echo\":1,\"msg_id\":2}}");
                        Thread.sleep(pause);
                        signal("CONT", node.process());
                        JsonNode answer = node.next(Duration.ofMillis(7_000 - pause));
                        outcomes.put(pause, answer == null ? -1 : (System.nanoTime() - sent) / 1_000_000);
                        // The node answers again: a later request is answered (one that a starved machine
                        // held past its budget may go unanswered as rightly as the first, so up to three).
                        JsonNode after = null;
                        for (int msgId = 3; after == null && msgId < 6; msgId++) {
                            node.send("{\"src\":\"c1\",\"dest\":\"n0\",\"body\":{\"type\":\"echo\",\"echo\":2,\"msg_id\":"
                                    + msgId + "}}");
                            after = node.next(Duration.ofSeconds(8));
                        }
                        assertNotNull(after, "after a stop of " + pause + " ms, a request after the stop is answered; the"
                                + " node's log:\n" + node.logged());
                    }
                    return null;
                }));
            }
            for (var run : runs) run.get();
        }
        for (long pause : pauses) {
            long answeredAfter = outcomes.get(pause);
            assertTrue(answeredAfter <= 5_000, "after a stop of " + pause + " ms, an answer " + answeredAfter + " ms after the send");
        }
        assertTrue(outcomes.get(1000L) > 0, "after a stop of 1 s the answer can still reach its client: " + outcomes);
    }

    /** Sends SIGname to the process and its descendants (maelstrom.sh execs the JVM, so one process). */
    private static void signal(String name, Process process) throws Exception {
        List<String> command = new ArrayList<>(List.of("kill", "-" + name, String.valueOf(process.pid())));
        process.descendants().forEach(d -> command.add(String.valueOf(d.pid())));
        assertEquals(0, new ProcessBuilder(command).inheritIO().start().waitFor());
    }

    @Test
    void echoAnswersAndPrintsOnlyMessages() throws Exception {
        try (var node = Launched.start("echo")) {
            node.send(init("n0", "n0"));
            assertEquals("init_ok", node.next().get("body").get("type").asText());
            node.send("this is not json");
            node.send("{\"src\":\"c1\",\"dest\":\"n0\",\"body\":{\"type\":\"nope\",\"msg_id\":2}}");
            node.send("{\"src\":\"c1\",\"dest\":\"n0\",\"body\":{\"type\":\"echo\",\"msg_id\":3}}");
            node.send("{\"src\":\"c1\",\"dest\":\"n0\",\"body\":{\"type\":\"echo\",\"echo\":\"Please echo 35\",\"msg_id\":4}}");
            var replies = new java.util.HashMap<Long, JsonNode>();
            for (JsonNode m : node.rest()) replies.put(m.get("body").get("in_reply_to").asLong(), m.get("body"));
            assertEquals(3, replies.size(), "one reply per request: " + replies);
            assertEquals(10, replies.get(2L).get("code").asInt());
            assertEquals(12, replies.get(3L).get("code").asInt());
            assertEquals("echo_ok", replies.get(4L).get("type").asText());
            assertEquals("Please echo 35", replies.get(4L).get("echo").asText());
        }
    }

    @Test
    void uniqueIdsAreUniqueAcrossNodes() throws Exception {
        var nodes = new ArrayList<Launched>();
        try {
            for (int i = 0; i < 3; i++) nodes.add(Launched.start("unique-ids"));
            for (int i = 0; i < 3; i++) {
                nodes.get(i).send(init("n" + i, "n0", "n1", "n2"));
                assertEquals("init_ok", nodes.get(i).next().get("body").get("type").asText());
            }
            var ids = new HashSet<String>();
            int requests = 0;
            for (var node : nodes) {
                for (int m = 0; m < 500; m++, requests++) {
                    node.send("{\"src\":\"c1\",\"dest\":\"n0\",\"body\":{\"type\":\"generate\",\"msg_id\":" + m + "}}");
                }
                for (JsonNode reply : node.rest()) {
                    assertEquals("generate_ok", reply.get("body").get("type").asText());
                    ids.add(reply.get("body").get("id").asText());
                }
            }
            assertEquals(requests, ids.size(), "every id is distinct");
        } finally {
            nodes.forEach(Launched::close);
        }
    }

    @Test
    void unknownNamePrintsUsageAndExits2() throws Exception {
        Path err = Files.createTempFile("maelstrom-sh", ".err");
        Process p = new ProcessBuilder(ROOT.resolve("maelstrom.sh").toString(), "no-such-workload")
                .directory(TEMP.toFile()).redirectError(err.toFile()).start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, p.waitFor());
        assertEquals("", stdout, "nothing on stdout");
        assertTrue(Files.readString(err).contains("usage:"));
        Files.delete(err);
    }

    @Test
    void helpWorksThroughPicocli() throws Exception {
        Process p = new ProcessBuilder(ROOT.resolve("maelstrom.sh").toString(), "echo", "--help")
                .directory(TEMP.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        assertTrue(out.contains("Usage: echo"), out);
    }

    @Test
    void helpShowsOptionsInTheFormMaelstromPassesThrough() throws Exception {
        Process p = new ProcessBuilder(ROOT.resolve("maelstrom.sh").toString(), "broadcast", "--help")
                .directory(TEMP.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        assertTrue(out.contains("--bin ./maelstrom.sh broadcast hub-batch="), out);
    }

    @Test
    void wordsThatAreNoOptionGoToPicocliWhichSaysWhatIsWrong() throws Exception {
        // A field that is no option, an unknown name, a value that does not convert: each
        // is refused with picocli's word for it on stderr and exit code 2, nothing on stdout.
        for (var words : List.of(List.of("hubBatch=5"), List.of("no-such=1"), List.of("hub-batch=soon"),
                List.of("resend-after=5", "fan-out=sideways"))) {
            var command = new ArrayList<>(List.of(ROOT.resolve("maelstrom.sh").toString(), "broadcast"));
            command.addAll(words);
            Path err = Files.createTempFile("maelstrom-sh", ".err");
            Process p = new ProcessBuilder(command).directory(TEMP.toFile()).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(2, p.waitFor(), words.toString());
            assertEquals("", stdout, words + ": nothing on stdout");
            String log = Files.readString(err);
            assertTrue((log.contains("Unknown option") || log.contains("Invalid value")) && !log.contains("options:"),
                    words + ": " + log);
            Files.delete(err);
        }
    }

    static String message(String src, String dest, String body) {
        return "{\"src\":\"" + src + "\",\"dest\":\"" + dest + "\",\"body\":" + body + "}";
    }

    @Test
    void kafkaAnswersEverySendOfABatchItsOwnerAnsweredWrongAndForwardsTheNext() throws Exception {
        String key = ownedBy(1, 2);
        try (var node = Launched.start("kafka", "batch=300")) { // 300 ms: both sends surely share the batch
            node.send(init("n0", "n0", "n1"));
            assertEquals("init_ok", node.next().get("body").get("type").asText());
            for (int m = 2; m <= 3; m++) {
                node.send(message("c1", "n0", "{\"type\":\"send\",\"key\":\"" + key + "\",\"msg\":" + m + ",\"msg_id\":" + m + "}"));
            }
            JsonNode forward = node.nextTo("n1", Duration.ofSeconds(5)).get("body");
            assertEquals(2, forward.get("sends").size(), "one forward for both: " + forward);
            // One offset for two sends: the owner's answer does not fit the batch.
            node.send(message("n1", "n0", "{\"type\":\"forward_ok\",\"offsets\":[0],\"in_reply_to\":"
                    + forward.get("msg_id") + "}"));
            var answers = new java.util.HashMap<Long, JsonNode>();
            for (int i = 0; i < 2; i++) {
                JsonNode body = node.nextTo("c1", Duration.ofSeconds(5)).get("body");
                assertEquals(null, answers.put(body.get("in_reply_to").asLong(), body), "answered twice: " + body);
            }
            for (long m = 2; m <= 3; m++) {
                assertEquals(13, answers.get(m).path("code").asInt(), "indefinite, as the owner did act: " + answers.get(m));
            }
            node.send(message("c1", "n0", "{\"type\":\"send\",\"key\":\"" + key + "\",\"msg\":4,\"msg_id\":4}"));
            JsonNode next = node.nextTo("n1", Duration.ofSeconds(5)).get("body");
            assertEquals("forward", next.get("type").asText(), "the next send gets a batch of its own");
            node.send(message("n1", "n0", "{\"type\":\"forward_ok\",\"offsets\":[7],\"in_reply_to\":" + next.get("msg_id") + "}"));
            JsonNode ok = node.nextTo("c1", Duration.ofSeconds(5)).get("body");
            assertEquals(4, ok.get("in_reply_to").asInt());
            assertEquals(7, ok.get("offset").asInt());
        }
    }

    /** A key that kafka.java gives to node {@code owner} of {@code nodes}, by the hash every node computes. */
    private static String ownedBy(int owner, int nodes) {
        for (int i = 0; ; i++) {
            if (Math.floorMod(("k" + i).hashCode(), nodes) == owner) return "k" + i;
        }
    }

    /** Starts g-counter with its count in seq-kv, as n0 alone, and answers its read of its key at init: none. */
    private static Launched gCounterOnSeqKv() throws Exception {
        var node = Launched.start("g-counter", "durable=seqkv");
        node.send(init("n0", "n0"));
        JsonNode read = null;
        boolean initialized = false;
        while (read == null || !initialized) { // init_ok and the read of its key, in either order
            JsonNode m = node.next(Duration.ofSeconds(5));
            assertNotNull(m, "init_ok " + initialized + ", read " + read);
            if (m.get("dest").asText().equals("seq-kv")) read = m.get("body");
            else initialized = m.get("body").get("type").asText().equals("init_ok");
        }
        assertEquals("read", read.get("type").asText(), "a restarted node learns its count first: " + read);
        node.send(message("seq-kv", "n0", "{\"type\":\"error\",\"code\":20,\"text\":\"none\",\"in_reply_to\":"
                + read.get("msg_id") + "}"));
        return node;
    }

    @Test
    void gCounterCombinesTheAddsThatWaitedIntoOneCas() throws Exception {
        try (var node = gCounterOnSeqKv()) {
            node.send(message("c1", "n0", "{\"type\":\"add\",\"delta\":1,\"msg_id\":2}"));
            JsonNode first = node.nextTo("seq-kv", Duration.ofSeconds(5)).get("body");
            assertEquals(1, first.get("to").asInt());
            node.send(message("c1", "n0", "{\"type\":\"add\",\"delta\":2,\"msg_id\":3}"));
            node.send(message("c1", "n0", "{\"type\":\"add\",\"delta\":3,\"msg_id\":4}"));
            Thread.sleep(300); // both are queued behind the cas in flight
            node.send(message("seq-kv", "n0", "{\"type\":\"cas_ok\",\"in_reply_to\":" + first.get("msg_id") + "}"));
            var answered = new HashSet<Long>();
            JsonNode second = null;
            while (second == null || answered.size() < 3) {
                JsonNode m = node.next(Duration.ofSeconds(5));
                assertNotNull(m, "answered " + answered + ", second cas " + second);
                JsonNode body = m.get("body");
                if (m.get("dest").asText().equals("c1")) {
                    assertEquals("add_ok", body.get("type").asText());
                    answered.add(body.get("in_reply_to").asLong());
                } else {
                    assertEquals(null, second, "one cas for the two adds that waited: " + body);
                    second = body;
                    assertEquals(1, second.get("from").asInt());
                    assertEquals(6, second.get("to").asInt());
                    node.send(message("seq-kv", "n0", "{\"type\":\"cas_ok\",\"in_reply_to\":" + second.get("msg_id") + "}"));
                }
            }
            assertEquals(java.util.Set.of(2L, 3L, 4L), answered);
        }
    }

    @Test
    void gCounterGivesUpAnAddWhoseClientHasGivenUp() throws Exception {
        try (var node = gCounterOnSeqKv()) {
            long sent = System.nanoTime();
            node.send(message("c1", "n0", "{\"type\":\"add\",\"delta\":1,\"msg_id\":2}"));
            // A store whose key always holds something else: every cas fails, every read says 0.
            for (JsonNode m; (m = node.next(Duration.ofMillis(1500))) != null; ) {
                assertTrue(System.nanoTime() - sent < Duration.ofSeconds(12).toNanos(), "still trying after 12 s: " + m);
                JsonNode body = m.get("body");
                assertEquals("seq-kv", m.get("dest").asText(), "no answer once the client's 5 s are near: " + m);
                String reply = body.get("type").asText().equals("cas")
                        ? "{\"type\":\"error\",\"code\":22,\"text\":\"no\",\"in_reply_to\":"
                        : "{\"type\":\"read_ok\",\"value\":0,\"in_reply_to\":";
                node.send(message("seq-kv", "n0", reply + body.get("msg_id") + "}"));
            }
        }
    }

    @Test
    void gCounterGossipsItsCountAndAnswersAGossipThatBringsNothing() throws Exception {
        try (var node = Launched.start("g-counter")) {
            node.send(init("n0", "n0", "n1"));
            assertEquals("init_ok", node.next().get("body").get("type").asText());
            node.send(message("c1", "n0", "{\"type\":\"add\",\"delta\":5,\"msg_id\":2}"));
            JsonNode ok = node.next(Duration.ofSeconds(5));
            assertEquals("c1", ok.get("dest").asText(), "acknowledged from the journal, before any message: " + ok);
            JsonNode gossip = node.nextTo("n1", Duration.ofSeconds(5)).get("body");
            assertEquals("{\"n0\":5}", gossip.get("counts").toString());
            assertEquals(0, gossip.get("your_start").asLong(), "it has heard nothing of n1");
            long start = gossip.get("start").asLong();
            String fromN1 = "{\"type\":\"gossip\",\"counts\":{\"n0\":5,\"n1\":7},\"start\":100,\"your_start\":" + start
                    + ",\"answer\":false}";
            node.send(message("n1", "n0", fromN1)); // news: n1's 7
            node.send(message("c1", "n0", "{\"type\":\"read\",\"msg_id\":3}"));
            assertEquals(12, node.nextTo("c1", Duration.ofSeconds(5)).get("body").get("value").asLong());
            node.send(message("n1", "n0", fromN1)); // nothing new: n1 believes n0 lacks something
            JsonNode answer = node.nextTo("n1", Duration.ofSeconds(5)).get("body");
            assertTrue(answer.get("answer").asBoolean(), answer.toString());
            assertEquals(100, answer.get("your_start").asLong());
            assertEquals(12, answer.get("counts").get("n0").asLong() + answer.get("counts").get("n1").asLong());
            assertEquals(null, node.next(Duration.ofMillis(2500)), "n1 holds all n0 has and knows n0: nothing more to send");
        }
    }

    @Test
    void broadcastLeafConfirmsAResendAtOnceAndNothingElse() throws Exception {
        try (var node = Launched.start("broadcast")) {
            node.send(init("n1", "n0", "n1"));
            assertEquals("init_ok", node.next().get("body").get("type").asText());
            node.send(message("n0", "n1", "{\"type\":\"gossip\",\"runs\":[{\"origin\":0,\"from\":0,\"values\":[10,11]}],\"known\":[2,0]}"));
            assertEquals(null, node.next(Duration.ofMillis(1500)), "new values alone need no answer, even at a check");
            // The hub resends 10 and 11, unconfirmed, with 12: the leaf confirms all three.
            node.send(message("n0", "n1", "{\"type\":\"gossip\",\"runs\":[{\"origin\":0,\"from\":0,\"values\":[10,11,12]}],\"known\":[3,0]}"));
            JsonNode confirm = node.next(Duration.ofSeconds(3));
            assertNotNull(confirm, "the leaf did not confirm the resend");
            assertEquals("n0", confirm.get("dest").asText());
            assertEquals(3, confirm.get("body").get("known").get(0).asInt());
            assertEquals(0, confirm.get("body").get("runs").size());
        }
    }

    @Test
    void kafkaListsCommittedOffsetsFromThePeersThatAnswer() throws Exception {
        try (var node = Launched.start("kafka", "timeout=500")) {
            node.send(init("n0", "n0", "n1"));
            assertEquals("init_ok", node.next().get("body").get("type").asText());
            node.send(message("c1", "n0", "{\"type\":\"commit_offsets\",\"offsets\":{\"k\":5},\"msg_id\":2}"));
            assertEquals("commit_offsets_ok", node.nextTo("c1", Duration.ofSeconds(5)).get("body").get("type").asText());
            for (int m = 3; m <= 4; m++) { // n1 never answers
                node.send(message("c1", "n0", "{\"type\":\"list_committed_offsets\",\"keys\":[\"k\"],\"msg_id\":" + m + "}"));
                JsonNode body = node.nextTo("c1", Duration.ofSeconds(5)).get("body");
                assertEquals("list_committed_offsets_ok", body.get("type").asText(), body.toString());
                assertEquals(5, body.get("offsets").get("k").asInt());
            }
        }
    }

    @Test
    void linKvAnswersElevenWithoutALeader() throws Exception {
        try (var node = Launched.start("lin-kv", "election-timeout=5000")) {
            node.send(init("n1", "n0", "n1", "n2"));
            assertEquals("init_ok", node.next().get("body").get("type").asText());
            node.send(message("c1", "n1", "{\"type\":\"read\",\"key\":1,\"msg_id\":2}"));
            JsonNode body = node.nextTo("c1", Duration.ofSeconds(5)).get("body");
            assertEquals(11, body.path("code").asInt(), "definite: nothing was sent: " + body);
        }
    }

    /**
     * A follower sends its client's write to the leader at once, in a message of its own,
     * once, and relays the leader's answer to the client.
     */
    @Test
    void linKvFollowerForwardsAWriteAtOnceOnceAndRelaysTheAnswer() throws Exception {
        try (var node = Launched.start("lin-kv", "election-timeout=5000")) {
            node.send(init("n1", "n0", "n1", "n2"));
            assertEquals("init_ok", node.next().get("body").get("type").asText());
            String noop = "{\"term\":1,\"commands\":[]}";
            node.send(message("n0", "n1", appendEntries(10, 0, 0, "[" + noop + "]", 0)));
            assertEquals(2, node.nextTo("n0", Duration.ofSeconds(5)).get("body").get("next_index").asInt());
            node.send(message("c1", "n1", "{\"type\":\"write\",\"key\":1,\"value\":3,\"msg_id\":2}"));
            JsonNode forward = node.nextTo("n0", Duration.ofSeconds(5)).get("body");
            assertEquals("forward", forward.path("type").asText(), "the write goes to the leader: " + forward);
            assertEquals(List.of("w", 1, 3), NodeHarness.JSON.convertValue(forward.get("op"), List.class));
            assertEquals(null, node.next(Duration.ofMillis(300)), "sent once, and no answer to the client yet");
            node.send(message("n0", "n1", "{\"type\":\"write_ok\",\"in_reply_to\":" + forward.get("msg_id") + "}"));
            JsonNode reply = node.nextTo("c1", Duration.ofSeconds(5)).get("body");
            assertEquals("write_ok", reply.get("type").asText());
            assertEquals(2, reply.get("in_reply_to").asInt());
        }
    }

    /** An AppendEntries of term 1 from n0. */
    private static String appendEntries(int msgId, int prevIndex, int prevTerm, String entries, int commit) {
        return "{\"type\":\"append_entries\",\"term\":1,\"leader_id\":\"n0\",\"prev_log_index\":" + prevIndex
                + ",\"prev_log_term\":" + prevTerm + ",\"entries\":" + entries + ",\"leader_commit\":" + commit
                + ",\"msg_id\":" + msgId + "}";
    }
}
