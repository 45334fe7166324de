package tests.challenges;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tests.support.Nodes;
import tests.support.Restartable;

/**
 * txn-list-append.java spoken to by hand, through maelstrom.sh as Maelstrom starts it: the
 * transactor runs transactions whole and keeps every append across kills; another node
 * forwards to it, passes its answer through, and answers a forward that got none with an
 * indefinite error, never a definite one.
 */
class TxnListAppendTest {

    static final String SCRIPT = "txn-list-append";

    @BeforeAll
    static void prepare() throws Exception {
        Nodes.prepare(SCRIPT);
    }

    static String txn(long msgId, String mops) {
        return "{\"type\":\"txn\",\"txn\":" + mops + ",\"msg_id\":" + msgId + "}";
    }

    @Test
    void aTransactionSeesTheAppendsBeforeItAndItsOwnAndAMalformedOneIsRefused() throws Exception {
        try (var run = Restartable.start(1, SCRIPT)) {
            RestartTest.ok(run.init("n0", "n0"));
            assertEquals("[[\"r\",1,null],[\"append\",1,6],[\"append\",2,9],[\"r\",1,[6]]]",
                    run.call("c1", "n0", txn(1, "[[\"r\",1,null],[\"append\",1,6],[\"append\",2,9],[\"r\",1,null]]")).get("txn").toString());
            assertEquals("[[\"append\",1,\"x\"],[\"r\",1,[6,\"x\"]],[\"r\",2,[9]],[\"r\",3,null]]",
                    run.call("c2", "n0", txn(2, "[[\"append\",1,\"x\"],[\"r\",1,null],[\"r\",2,null],[\"r\",3,null]]")).get("txn").toString());
            for (String malformed : new String[] {"[[\"w\",1,2]]", "[[\"append\",1]]", "[5]"}) {
                JsonNode refused = run.call("c1", "n0", txn(3, malformed));
                assertEquals(12, refused.path("code").asInt(), malformed + ": " + refused);
            }
            assertEquals("[[\"r\",1,[6,\"x\"]]]", run.call("c1", "n0", txn(4, "[[\"r\",1,null]]")).get("txn").toString(),
                    "nothing of the refused ones ran");
        }
    }

    @Test
    void aNodeForwardsToTheTransactorPassesItsAnswerThroughAndAnswersNoAnswerAsIndefinite() throws Exception {
        try (var run = Restartable.start(1, SCRIPT, "forward-timeout=1000")) {
            RestartTest.ok(run.init("n1", "n0", "n1"));
            String mops = "[[\"r\",1,null],[\"append\",1,3]]";
            run.send("c1", "n1", txn(7, mops));
            JsonNode forward = run.nextTo("n0", Duration.ofSeconds(5)).get("body");
            assertEquals("txn", forward.path("type").asText());
            assertEquals(mops, forward.get("txn").toString(), "forwarded unchanged");
            run.send("n0", "n1", "{\"type\":\"txn_ok\",\"txn\":[[\"r\",1,[1,2]],[\"append\",1,3]],\"in_reply_to\":"
                    + forward.get("msg_id") + "}");
            assertEquals("[[\"r\",1,[1,2]],[\"append\",1,3]]", run.replyTo("c1", 7, Duration.ofSeconds(5)).get("txn").toString(),
                    "the transactor's reads, passed through");

            run.send("c1", "n1", txn(8, "[[\"append\",1,4]]"));
            assertEquals("txn", run.nextTo("n0", Duration.ofSeconds(5)).get("body").path("type").asText());
            long sent = System.nanoTime();
            JsonNode unanswered = run.replyTo("c1", 8, Duration.ofSeconds(5));
            assertEquals("error", unanswered.path("type").asText(), unanswered.toString());
            assertEquals(0, unanswered.path("code").asInt(), "a timeout: the transaction may have run; " + unanswered);
            assertTrue(System.nanoTime() - sent >= Duration.ofMillis(900).toNanos(), "answered before the forward timed out");
        }
    }

    @Test
    void theTransactorKeepsEveryAppendAcrossKillsWhereOneThatForgetsItsFolderLosesThem() throws Exception {
        keepsAppends(false);
        RestartTest.assertLost("the lists after a kill", () -> keepsAppends(true));
    }

    /**
     * The transactor n0 of two appends to keys 1 and 2 and is killed three times: before
     * each init, n1 forwards it an append, which must not run before the journal is back
     * (it may run after: the node library may hold it until init); after each init the
     * lists are as they were, the appends since the last kill included. With {@code forget} its folder
     * is removed before each restart, which makes it a transactor that keeps its lists in
     * memory only.
     */
    static void keepsAppends(boolean forget) throws Exception {
        try (var run = Restartable.start(4, SCRIPT)) {
            RestartTest.ok(run.init("n0", "n0", "n1"));
            RestartTest.ok(run.call("c1", "n0", txn(1, "[[\"append\",1,1],[\"append\",2,1]]")));
            RestartTest.ok(run.call("c1", "n0", txn(2, "[[\"append\",1,2]]")));
            var one = new ArrayList<>(List.of(1L, 2L));
            var two = new ArrayList<>(List.of(1L));
            for (int kill = 1; kill <= 3; kill++) {
                run.kill();
                if (forget) RestartTest.removeTree(run.folder("n0"));
                long early = 100 + kill;
                run.send("n1", "n0", txn(early, "[[\"append\",1," + early + "]]"));
                Thread.sleep(300);
                RestartTest.ok(run.init("n0", "n0", "n1"));
                JsonNode read = run.call("c1", "n0", txn(10 + kill, "[[\"r\",1,null],[\"r\",2,null]]")).get("txn");
                List<Long> readOne = longs(read.get(0).get(2));
                var oneWithEarly = new ArrayList<>(one);
                oneWithEarly.add(early);
                assertTrue(readOne.equals(one) || readOne.equals(oneWithEarly), "the lists after a kill: key 1 " + readOne + ", not " + one);
                assertEquals(two, longs(read.get(1).get(2)), "the lists after a kill: key 2");
                one = new ArrayList<>(readOne);
                RestartTest.ok(run.call("c1", "n0", txn(20 + kill, "[[\"append\",2," + (20 + kill) + "]]")));
                two.add(20L + kill);
            }
        }
    }

    static List<Long> longs(JsonNode list) {
        var longs = new ArrayList<Long>();
        list.forEach(element -> longs.add(element.asLong()));
        return longs;
    }
}
