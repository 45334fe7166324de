package tests.challenges;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tests.support.Nodes;
import tests.support.Restartable;

/**
 * One lin-kv.java node, n0 of n0 to n4, with the test as the network: it plays the other
 * nodes and the clients, and reads every message n0 sends, so that it can put an answer
 * exactly where a race would put it.
 */
class LinKvRaftTest {

    static final ObjectMapper JSON = new ObjectMapper();
    /** Longer than the 64 KiB a pipe holds: a line with it keeps n0 writing until the test reads on. */
    static final int BIG = 1 << 20;
    /** A term far above any n0 reaches by itself in this test. */
    static final long HIGHER_TERM = 99;
    /** Slow elections: a loaded test machine answers well within one, and a test waits one out. */
    static final Duration ELECTION_TIMEOUT = Duration.ofSeconds(1);
    static final String SLOW_ELECTIONS = "election-timeout=" + ELECTION_TIMEOUT.toMillis();

    @BeforeAll
    static void prepare() throws Exception {
        Nodes.prepare("lin-kv");
    }

    /**
     * Issue 25, review finding 1. n0 leads; a write too big for the pipe holds it in the
     * middle of sending the write to the two followers a majority of five needs, writing
     * the first one's AppendEntries. That follower's answer, carrying a higher term, is
     * read meanwhile, so the answer is there before n0 goes on to the second. n0 must send
     * no AppendEntries in the higher term (it never led that term: a follower of that
     * term's real leader would take n0's entries), and must have taken the term (it asks
     * for votes above it), which shows the answer reached it.
     */
    @Test
    void aLeaderToldOfAHigherTermWhileSendingAWriteSendsNothingInThatTerm() throws Exception {
        try (var n0 = Restartable.start("lin-kv", SLOW_ELECTIONS)) {
            assertEquals("init_ok", n0.init("n0", "n0", "n1", "n2", "n3", "n4").path("type").asText());
            long lastMsgId = 0;
            for (JsonNode m = null; m == null || !type(m).equals("append_entries"); ) {
                m = whole(n0.nextChunk(BIG, Duration.ofSeconds(10)));
                lastMsgId = Math.max(lastMsgId, m.path("body").path("msg_id").asLong());
                answerAsFollower(n0, m);
            }
            n0.send("c1", "n0", "{\"type\":\"write\",\"key\":1,\"value\":\"" + "x".repeat(BIG) + "\",\"msg_id\":1}");
            String start;
            while (true) {
                start = n0.nextChunk(4096, Duration.ofSeconds(10));
                assertNotNull(start, "n0 sent nothing after the write");
                if (!start.endsWith("\n")) break; // the write's AppendEntries, n0 still writing it
                JsonNode m = whole(start);
                lastMsgId = Math.max(lastMsgId, m.path("body").path("msg_id").asLong());
                answerAsFollower(n0, m);
            }
            assertTrue(start.contains("\"type\":\"append_entries\""), "the long line is an AppendEntries: " + start);
            String follower = first(Pattern.compile("\"dest\":\"(n[1-4])\""), start);
            n0.send(follower, "n0", "{\"type\":\"append_entries_ok\",\"term\":" + HIGHER_TERM
                    + ",\"success\":false,\"next_index\":1,\"in_reply_to\":" + (lastMsgId + 1) + "}");
            Thread.sleep(500); // n0 reads the answer while its round waits on the pipe

            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            for (String chunk = start; System.nanoTime() < deadline; ) {
                String next = n0.nextChunk(4096, Duration.ofMillis(100));
                if (next == null) continue;
                boolean lineStart = chunk.endsWith("\n");
                chunk = next;
                if (!lineStart || !next.contains("\"body\":{\"type\":")) continue;
                String type = first(Pattern.compile("\"body\":\\{\"type\":\"(\\w+)\""), next);
                if (!type.equals("append_entries") && !type.equals("request_vote")) continue;
                long term = Long.parseLong(first(Pattern.compile("\"term\":(\\d+)"), next));
                if (type.equals("append_entries") && term >= HIGHER_TERM) {
                    fail("n0 sent an AppendEntries in term " + term + ", which it never led: " + next.substring(0, Math.min(300, next.length())));
                }
                if (type.equals("request_vote") && term > HIGHER_TERM) return; // it took the term, and sent nothing in it
            }
            fail("n0 asked for no vote above term " + HIGHER_TERM + ": the higher term did not reach it");
        }
    }

    /**
     * The promise a lease rests on. A follower that just accepted its leader's
     * AppendEntries, and a node just restarted (it may have promised before), grant no
     * vote and take no term from a candidate; an election timeout later, with no word from
     * a leader, they do. A node with nothing on disk has promised nothing, and votes at once.
     */
    @Test
    void aNodeGrantsNoVoteForAnElectionTimeoutAfterItHeardFromItsLeaderOrRestarted() throws Exception {
        try (var n1 = Restartable.start("lin-kv", SLOW_ELECTIONS)) {
            assertEquals("init_ok", n1.init("n1", "n0", "n1", "n2").path("type").asText());
            assertEquals("true 1", vote(n1.call("n2", "n1", requestVote(1, 1))), "a vote asked of a node with nothing on disk");
            JsonNode accepted = n1.call("n0", "n1", "{\"type\":\"append_entries\",\"term\":2,\"leader_id\":\"n0\",\"prev_log_index\":0,"
                    + "\"prev_log_term\":0,\"entries\":[],\"leader_commit\":0,\"msg_id\":2}");
            assertTrue(accepted.path("success").asBoolean(), "n1 follows n0: " + accepted);
            assertEquals("false 2", vote(n1.call("n2", "n1", requestVote(3, 3))), "a vote asked at once after the leader's AppendEntries");
            n1.kill();
            assertEquals("init_ok", n1.init("n1", "n0", "n1", "n2").path("type").asText());
            assertEquals("false 2", vote(n1.call("n2", "n1", requestVote(3, 4))), "a vote asked at once after a restart");
            Thread.sleep(ELECTION_TIMEOUT.plusMillis(200));
            assertEquals("true 3", vote(n1.call("n2", "n1", requestVote(3, 5))), "a vote asked an election timeout later");
        }
    }

    /**
     * The lease itself. A leader answers a read from its map while a majority's promises
     * bind; once its followers have not answered for an election timeout, it answers no
     * read from its map (another leader may be elected by then), and fails it with 11.
     */
    @Test
    void aLeaderWhoseFollowersFellSilentAnswersNoReadFromItsMap() throws Exception {
        try (var n0 = Restartable.start("lin-kv", SLOW_ELECTIONS)) {
            assertEquals("init_ok", n0.init("n0", "n0", "n1", "n2").path("type").asText());
            n0.send("c1", "n0", "{\"type\":\"write\",\"key\":1,\"value\":5,\"msg_id\":1}");
            JsonNode written = answerWhileWaiting(n0, 1, true); // n0 answers 11 until it leads, then writes
            for (int msgId = 2; written.path("code").asInt() == 11 && msgId < 100; msgId++) {
                Thread.sleep(100);
                n0.send("c1", "n0", "{\"type\":\"write\",\"key\":1,\"value\":5,\"msg_id\":" + msgId + "}");
                written = answerWhileWaiting(n0, msgId, true);
            }
            assertEquals("write_ok", written.path("type").asText(), "the write: " + written);
            n0.send("c1", "n0", "{\"type\":\"read\",\"key\":1,\"msg_id\":100}");
            assertEquals("read_ok 5", readAnswer(answerWhileWaiting(n0, 100, true)), "a read while the followers answer");

            long silentUntil = System.nanoTime() + ELECTION_TIMEOUT.plusMillis(200).toNanos();
            while (System.nanoTime() < silentUntil) n0.next(Duration.ofMillis(10)); // heard, not answered
            n0.send("c1", "n0", "{\"type\":\"read\",\"key\":1,\"msg_id\":101}");
            JsonNode read = answerWhileWaiting(n0, 101, false);
            assertEquals(11, read.path("code").asInt(), "a read an election timeout after the followers fell silent: " + read);
        }
    }

    /** A RequestVote of {@code term} from n2, whose log is empty, as message {@code msgId}. */
    static String requestVote(long term, long msgId) {
        return "{\"type\":\"request_vote\",\"term\":" + term + ",\"candidate_id\":\"n2\",\"last_log_index\":0,"
                + "\"last_log_term\":0,\"pre_vote\":false,\"msg_id\":" + msgId + "}";
    }

    static String vote(JsonNode answer) {
        return answer.path("vote_granted").asBoolean() + " " + answer.path("term").asLong();
    }

    static String readAnswer(JsonNode answer) {
        return answer.path("type").asText() + " " + answer.path("value");
    }

    /** Reads n0's messages until its answer to c1's {@code msgId}, answering its peers' messages as they would if {@code peersAnswer}. */
    static JsonNode answerWhileWaiting(Restartable n0, long msgId, boolean peersAnswer) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode m = n0.next(Duration.ofMillis(100));
            if (m == null) continue;
            if (m.path("dest").asText().equals("c1") && m.path("body").path("in_reply_to").asLong() == msgId) return m.path("body");
            if (peersAnswer) answerAsFollower(n0, m);
        }
        return fail("no answer to c1's " + msgId + " within 10 s");
    }

    /** Answers n0's RequestVote (pre-vote too) with a vote, and its AppendEntries with success, as the node it went to. */
    static void answerAsFollower(Restartable n0, JsonNode m) throws Exception {
        JsonNode body = m.path("body");
        String reply = switch (type(m)) {
            case "request_vote" -> "{\"type\":\"request_vote_ok\",\"term\":" + (body.path("pre_vote").asBoolean() ? 0 : body.path("term").asLong())
                    + ",\"vote_granted\":true";
            case "append_entries" -> "{\"type\":\"append_entries_ok\",\"term\":" + body.path("term").asLong()
                    + ",\"success\":true,\"next_index\":" + (body.path("prev_log_index").asLong() + body.path("entries").size() + 1);
            default -> null;
        };
        if (reply != null) n0.send(m.path("dest").asText(), "n0", reply + ",\"in_reply_to\":" + body.path("msg_id").asLong() + "}");
    }

    static JsonNode whole(String line) throws Exception {
        assertTrue(line != null && line.endsWith("\n"), "a whole message within 10 s: " + line);
        return JSON.readTree(line);
    }

    static String type(JsonNode message) {
        return message.path("body").path("type").asText();
    }

    static String first(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        assertTrue(m.find(), pattern + " in " + text.substring(0, Math.min(300, text.length())));
        return m.group(1);
    }
}
