package tests.challenges;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
 * One leaf of broadcast.java, n1 of n0 to n3, with the test as the network: a hub that
 * answers nothing must not hold the leaf's values back from the other nodes, and a hub
 * that confirms keeps every other link silent. Checks are 200 ms apart, so the leaf gives
 * the hub up after well under a second; the test allows five.
 */
class BroadcastHubCutOffTest {

    static final String CHECKS = "resend-after=200";

    @BeforeAll
    static void prepare() throws Exception {
        Nodes.prepare("broadcast");
    }

    @Test
    void aLeafWhoseHubAnswersNothingSendsItsValuesToTheOtherNodesItself() throws Exception {
        try (var leaf = Restartable.start("broadcast", CHECKS)) {
            assertEquals("init_ok", leaf.init("n1", "n0", "n1", "n2", "n3").path("type").asText());
            broadcast(leaf, 7, 1);
            JsonNode direct = leaf.nextTo("n2", Duration.ofSeconds(5)).get("body");
            assertTrue(carries(direct, 7), "n1's value goes to n2 directly: " + direct);
        }
    }

    @Test
    void aLeafWhoseHubConfirmsSendsToNoOtherNode() throws Exception {
        try (var leaf = Restartable.start("broadcast", CHECKS)) {
            assertEquals("init_ok", leaf.init("n1", "n0", "n1", "n2", "n3").path("type").asText());
            var elsewhere = new ArrayList<JsonNode>();
            int taken = 0;
            long end = System.nanoTime() + Duration.ofSeconds(2).toNanos(); // ten checks
            while (System.nanoTime() < end) {
                broadcast(leaf, 100 + taken, 100 + taken);
                taken++;
                for (JsonNode m; (m = leaf.next(Duration.ofMillis(150))) != null; ) {
                    String dest = m.path("dest").asText();
                    if (dest.equals("n0")) {
                        leaf.send("n0", "n1", "{\"type\":\"gossip\",\"runs\":[],\"known\":[0," + taken + ",0,0]}");
                    } else if (dest.startsWith("n")) {
                        elsewhere.add(m);
                    }
                }
            }
            assertEquals(List.of(), elsewhere, "messages to nodes other than the hub");
            assertNull(leaf.next(Duration.ofMillis(600)), "nothing more once the hub confirmed all");
        }
    }

    /** Sends the leaf a client's broadcast of {@code value}; its answer is read with the rest of the leaf's output. */
    private static void broadcast(Restartable leaf, long value, long msgId) throws Exception {
        leaf.send("c1", "n1", "{\"type\":\"broadcast\",\"message\":" + value + ",\"msg_id\":" + msgId + "}");
    }

    private static boolean carries(JsonNode gossip, long value) {
        for (JsonNode run : gossip.path("runs")) {
            for (JsonNode v : run.path("values")) {
                if (v.asLong() == value) return true;
            }
        }
        return false;
    }
}
