package tests.challenges;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bench.cli.TestCommand;
import bench.report.Downtime;
import bench.report.Results;
import bench.report.Verdict;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tests.support.Nodes;
import tests.support.Restartable;

/**
 * txn-list-append.java on the bench, at the issue's flags but shorter: strict serializable
 * (Elle's list-append checker, as the bench has it), cheap and fast, and through kills,
 * pauses and partitions. And spoken to by hand, through maelstrom.sh as Maelstrom starts
 * it: the transactor runs transactions whole and keeps every append across kills; another
 * node forwards to it, passes its answer through, and answers a forward that got none
 * with an indefinite error, never a definite one.
 */
class TxnListAppendTest {

    static final String SCRIPT = "txn-list-append";
    /**
     * Two messages per forwarded transaction, and about half are forwarded at two nodes:
     * about 1.0 whatever the load, far below the issue's 4; a node that sent anything
     * more per transaction (a replica, a second round) would pass it.
     */
    static final double MAX_SERVERS_MSGS_PER_OP = 1.5;
    /**
     * The issue's target is 20 ms; a transaction costs a lock and a write, and a forwarded
     * one a round trip more, so this leaves a loaded CI box a wide margin.
     */
    static final double MAX_MEDIAN_MILLIS = 60;

    static final List<String> ISSUE_FLAGS = List.of("-w", "txn-list-append", "--bin", "maelstrom.sh", "--node-count", "2",
            "--concurrency", "10n", "--rate", "100", "--time-limit", "10", "--seed", "1", "--store", "store/tests");

    @BeforeAll
    static void prepare() throws Exception {
        Nodes.prepare(SCRIPT);
    }

    static Results runOnTheBench(String... flags) throws Exception {
        var words = new ArrayList<>(ISSUE_FLAGS);
        words.addAll(List.of(flags));
        words.addAll(List.of("--", SCRIPT));
        Results results = TestCommand.run(words.toArray(String[]::new));
        Verdict verdict = results.verdict();
        assertEquals(Verdict.Validity.VALID, results.validity(), () -> "findings " + (verdict == null ? "none"
                : verdict.findings()) + ", problems " + results.problems() + ", see " + results.options().runDir());
        return results;
    }

    @Test
    void strictSerializableCheapAndFastAtTheIssuesFlags() throws Exception {
        Results results = runOnTheBench();
        double median = results.latencies().get("txn").p50();
        System.out.printf("txn-list-append: %d ok of %d, servers msgs-per-op %.3f, median %.1f ms%n", results.ops().ok(),
                results.ops().invoked(), results.serversMsgsPerOp(), median);
        assertEquals(results.ops().invoked(), results.ops().ok(), "every transaction ok without faults");
        assertTrue(results.serversMsgsPerOp() <= MAX_SERVERS_MSGS_PER_OP, "servers msgs-per-op " + results.serversMsgsPerOp());
        assertTrue(results.serversMsgsPerOp() > 0, "the second node forwards: " + results.serversMsgsPerOp());
        assertTrue(median <= MAX_MEDIAN_MILLIS, "median " + median + " ms");
    }

    /**
     * Every fault at once, a nemesis operation about every second: strict serializable
     * still, as each append is journaled before anyone sees it, and some transactions ok
     * (availability is not judged under kills). The seed's schedule kills the transactor
     * and restarts it with load to follow: a transactor that forgot its journal at the
     * restart fails this run (and most seeds'), with incompatible orders and realtime cycles.
     */
    @Test
    void strictSerializableThroughKillsPausesAndPartitions() throws Exception {
        Results results = runOnTheBench("--time-limit", "15", "--nemesis", "partition,kill,pause", "--nemesis-interval", "1",
                "--seed", "2");
        System.out.printf("txn-list-append under faults: %d ok of %d%n", results.ops().ok(), results.ops().invoked());
        assertTrue(results.ops().ok() > 0, "no transaction answered ok");
        assertTrue(Downtime.of(results.nemesis()).getOrDefault("n0", List.of()).stream()
                        .anyMatch(span -> span.fault().equals("kill") && span.toMillis() != null),
                "the transactor was not killed and restarted: " + results.nemesis());
    }

    static String txn(long msgId, String mops) {
        return "{\"type\":\"txn\",\"txn\":" + mops + ",\"msg_id\":" + msgId + "}";
    }

    @Test
    void aTransactionSeesTheAppendsBeforeItAndItsOwnAndAMalformedOneIsRefused() throws Exception {
        try (var run = Restartable.start(SCRIPT)) {
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
        try (var run = Restartable.start(SCRIPT, "forward-timeout=1000")) {
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
     * each init, n1 forwards it an append, which runs after the journal is back (the node
     * library holds it until init's listeners are done), at the end of key 1; after each
     * init the lists are as they were, the appends since the last kill included. With {@code forget} its folder
     * is removed before each restart, which makes it a transactor that keeps its lists in
     * memory only.
     */
    static void keepsAppends(boolean forget) throws Exception {
        try (var run = Restartable.start(SCRIPT)) {
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
                RestartTest.ok(run.replyTo("n1", early, Duration.ofSeconds(5)));
                one.add(early);
                JsonNode read = run.call("c1", "n0", txn(10 + kill, "[[\"r\",1,null],[\"r\",2,null]]")).get("txn");
                assertEquals(one, longs(read.get(0).get(2)), "the lists after a kill: key 1");
                assertEquals(two, longs(read.get(1).get(2)), "the lists after a kill: key 2");
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
