package tests.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import lib.Node;
import lib.RpcError;
import org.junit.jupiter.api.Test;

/**
 * {@link Node#relayWhenSilent}: three nodes in this process on a network of the test's,
 * which a partition cuts as Maelstrom's does, by the sender and the receiver of each
 * message.
 */
class RelayingTest {

    record Ping() {}

    record PingOk() {}

    static final Duration SILENCE = Duration.ofMillis(50);
    /** How long a ping that must be answered may take, on a loaded machine. */
    static final Duration TIMEOUT = Duration.ofSeconds(3);
    /** How long a ping that cannot be answered waits: longer than the silence. */
    static final Duration LOST = Duration.ofMillis(300);
    /** How long every copy of a ping and its answer takes to be delivered, with a margin. */
    static final Duration SETTLE = Duration.ofMillis(300);

    /** Three nodes, each answering pings and counting them, and the network between them. */
    static final class Cluster implements AutoCloseable {
        final Map<String, NodeHarness> nodes = new LinkedHashMap<>();
        final Map<String, AtomicInteger> pings = new LinkedHashMap<>();
        /** Every line a node wrote, as the network saw it. */
        final List<ObjectNode> sent = new CopyOnWriteArrayList<>();
        /** Whether a message from the first node reaches the second. */
        volatile BiPredicate<String, String> passes = (src, dest) -> true;
        private final List<Thread> routers = new ArrayList<>();
        private volatile boolean closed;

        Cluster() {
            for (String id : List.of("n1", "n2", "n3")) {
                var count = new AtomicInteger();
                pings.put(id, count);
                nodes.put(id, NodeHarness.start(node -> {
                    node.relayWhenSilent(SILENCE);
                    node.handle(Ping.class, request -> {
                        count.incrementAndGet();
                        request.reply(new PingOk());
                    });
                }));
            }
            nodes.forEach((id, harness) -> {
                harness.line("{\"src\":\"c0\",\"dest\":\"" + id + "\",\"body\":{\"type\":\"init\",\"node_id\":\"" + id
                        + "\",\"node_ids\":[\"n1\",\"n2\",\"n3\"],\"msg_id\":1}}");
                assertEquals("init_ok", harness.nextBody().path("type").asText());
                routers.add(Thread.ofPlatform().daemon().start(() -> route(harness)));
            });
        }

        private void route(NodeHarness from) {
            while (!closed) {
                ObjectNode message = from.nextOrNull(Duration.ofMillis(50));
                if (message == null) continue;
                sent.add(message);
                String src = message.path("src").asText();
                String dest = message.path("dest").asText();
                if (nodes.containsKey(dest) && passes.test(src, dest)) nodes.get(dest).line(message.toString());
            }
        }

        /** Pings {@code dest} from {@code src}; the answer's body. */
        JsonNode ping(String src, String dest) {
            return nodes.get(src).node.syncRpc(dest, new Ping(), JsonNode.class, TIMEOUT);
        }

        /** Pings {@code dest} from {@code src}, which must get no answer. */
        void lostPing(String src, String dest) {
            var lost = assertThrows(RpcError.class, () -> nodes.get(src).node.syncRpc(dest, new Ping(), JsonNode.class, LOST));
            assertEquals(RpcError.TIMEOUT, lost.code());
        }

        @Override
        public void close() throws InterruptedException {
            closed = true;
            for (Thread router : routers) router.join();
            for (NodeHarness node : nodes.values()) node.close();
        }
    }

    /** A majorities ring of three: n1 hears only n2, n2 only n3, n3 only n1. */
    static boolean ring(String src, String dest) {
        return switch (dest) {
            case "n1" -> src.equals("n2");
            case "n2" -> src.equals("n3");
            case "n3" -> src.equals("n1");
            default -> true;
        };
    }

    @Test
    void aRoundTripAcrossAMajoritiesRingGoesThroughTheThirdNode() throws Exception {
        try (var cluster = new Cluster()) {
            cluster.passes = RelayingTest::ring;
            // n1 cannot reach n2 directly; n2 reaches n1. The first ping is lost, and n2 falls silent.
            cluster.lostPing("n1", "n2");
            // Now through n3 (n1 -> n3 -> n2), answered directly (n2 -> n1).
            JsonNode answer = cluster.ping("n1", "n2");
            assertEquals("ping_ok", answer.path("type").asText());
            assertFalse(answer.has("came_direct"), "the relaying's own field reaches no caller: " + answer);
            // n3 -> n1 is cut and n1 -> n3 is not: n3's answers go through n2 (n3 -> n2 -> n1).
            cluster.lostPing("n1", "n3");
            assertEquals("ping_ok", cluster.ping("n1", "n3").path("type").asText());
            assertEquals(2, cluster.pings.get("n3").get(), "n3 got both pings, directly");
            assertEquals(1, cluster.pings.get("n2").get(), "n2 got the relayed ping alone");
        }
    }

    @Test
    void aRequestThatCameSeveralWaysIsHandledOnceAndTheDirectWayComesBackWhenItWorks() throws Exception {
        try (var cluster = new Cluster()) {
            cluster.passes = (src, dest) -> !(src.equals("n1") && dest.equals("n2"));
            cluster.lostPing("n1", "n2");
            assertEquals("ping_ok", cluster.ping("n1", "n2").path("type").asText(), "through n3");
            int answered = 1;
            cluster.passes = (src, dest) -> true; // healed
            // Within a probe's period a ping goes every way again, finds the direct way
            // working both ways, and from then on pings go directly alone.
            boolean everyWay = false;
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (true) {
                int before = cluster.sent.size();
                assertEquals("ping_ok", cluster.ping("n1", "n2").path("type").asText());
                answered++;
                Thread.sleep(SETTLE.toMillis()); // every copy delivered
                int messages = cluster.sent.size() - before;
                everyWay |= messages >= 4; // the ping directly and through n3, and its answer
                if (messages == 2) break;
                assertTrue(System.nanoTime() < deadline, "back to the direct way within 5 s");
            }
            assertTrue(everyWay, "a ping went every way");
            int before = cluster.sent.size();
            assertEquals("ping_ok", cluster.ping("n1", "n2").path("type").asText());
            answered++;
            Thread.sleep(SETTLE.toMillis());
            assertEquals(2, cluster.sent.size() - before, "a request and its answer: " + cluster.sent.subList(before, cluster.sent.size()));
            assertEquals(answered, cluster.pings.get("n2").get(), "each ping handled once, however many ways it came");
        }
    }

    @Test
    void aRingThatBeginsWithEveryPeerSilentStillFindsItsWaysRound() throws Exception {
        try (var cluster = new Cluster()) {
            cluster.passes = RelayingTest::ring;
            // Every node asks both peers before it knows any way: each link of the ring falls silent, its ways unknown.
            for (String src : cluster.nodes.keySet()) {
                for (String dest : cluster.nodes.keySet()) {
                    if (src.equals(dest)) continue;
                    try {
                        cluster.nodes.get(src).node.syncRpc(dest, new Ping(), JsonNode.class, LOST);
                    } catch (RpcError e) {
                        assertEquals(RpcError.TIMEOUT, e.code());
                    }
                }
            }
            // A probe goes every way, so each pair finds its way round within a few.
            for (String src : cluster.nodes.keySet()) {
                for (String dest : cluster.nodes.keySet()) {
                    if (!src.equals(dest)) assertEquals("ping_ok", cluster.ping(src, dest).path("type").asText(), src + " to " + dest);
                }
            }
        }
    }

    @Test
    void aCopyIsHandledOnceAndNeverIfSentBeforeThisProcessOrTooLongAgo() throws Exception {
        long before = System.nanoTime(); // before the node's process (here: its Node) began
        var node = NodeHarness.started(n -> n.handle(Ping.class, request -> request.reply(new PingOk())));
        try {
            String late = "{\"type\":\"ping\",\"msg_id\":5,\"several_ways\":{\"answer\":\"direct\",\"sent\":" + before + "}}";
            node.send("n2", late);
            node.assertSilent(Duration.ofMillis(300));
            String now = "{\"type\":\"ping\",\"msg_id\":6,\"several_ways\":{\"answer\":\"direct\",\"sent\":" + System.nanoTime() + "}}";
            node.send("n2", now);
            ObjectNode answer = node.next();
            assertEquals("ping_ok", answer.path("body").path("type").asText());
            assertEquals(6, answer.path("body").path("in_reply_to").asLong());
            assertTrue(answer.path("body").path("came_direct").asBoolean(), answer.toString());
            node.line("{\"src\":\"n3\",\"dest\":\"n1\",\"body\":{\"type\":\"relay\",\"from\":\"n2\",\"to\":\"n1\",\"message\":" + now + "}}");
            node.send("n2", now);
            node.assertSilent(Duration.ofMillis(300)); // the same request again, directly and through n3: handled once
            // A relay from outside the cluster is neither taken nor passed on.
            node.line("{\"src\":\"c7\",\"dest\":\"n1\",\"body\":{\"type\":\"relay\",\"from\":\"c7\",\"to\":\"n2\",\"message\":{\"type\":\"ping\",\"msg_id\":1}}}");
            node.line("{\"src\":\"n3\",\"dest\":\"n1\",\"body\":{\"type\":\"relay\",\"from\":\"c7\",\"to\":\"n1\",\"message\":{\"type\":\"ping\",\"msg_id\":2}}}");
            node.assertSilent(Duration.ofMillis(300));
        } finally {
            node.close();
        }
    }

    @Test
    void withoutRelayingAPartitionedPeerStaysOutOfReach() throws Exception {
        // The test's own control: the same ring, the same pings, nodes that do not relay.
        var node = NodeHarness.started(n -> {});
        try {
            var ping = node.node.rpc("n2", new Ping(), JsonNode.class, Duration.ofMillis(200));
            Thread.sleep(100);
            var second = node.node.rpc("n2", new Ping(), JsonNode.class, Duration.ofMillis(200));
            assertEquals("n2", node.next().path("dest").asText());
            ObjectNode next = node.next();
            assertEquals("n2", next.path("dest").asText(), "no copy through n3: " + next);
            assertFalse(next.path("body").has("several_ways"), next.toString());
            var e = assertThrows(CompletionException.class, second::join);
            assertTrue(e.getCause() instanceof RpcError);
            assertThrows(CompletionException.class, ping::join);
        } finally {
            node.close();
        }
    }
}
