package tests.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bench.Json;
import bench.Options;
import bench.net.Client;
import bench.net.Network;
import bench.net.NodeProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The simulated network: latency, partitions, refusals, and Maelstrom's message counts. */
class NetworkTest {

    record Arrival(Network.Message message, long at) {
    }

    static LinkedBlockingQueue<Arrival> inbox(Network net, String id) {
        var queue = new LinkedBlockingQueue<Arrival>();
        net.register(id, m -> queue.add(new Arrival(m, System.nanoTime())));
        return queue;
    }

    @Test
    void latencyDelaysServerMessagesButNeverClientOnes() throws Exception {
        try (var net = new Network(new Network.Latency(200, Options.LatencyDist.CONSTANT, new Random(1)))) {
            var n0 = inbox(net, "n0");
            var n1 = inbox(net, "n1");
            inbox(net, "c1");
            // Built first: Jackson's first use in a fresh JVM takes longer than the bound below.
            var gossip = Json.body("gossip");
            var read = Json.body("read");
            long t0 = System.nanoTime();
            assertTrue(net.send("n1", "n0", gossip));
            assertTrue(net.send("c1", "n1", read));
            Arrival fromClient = n1.poll(1, TimeUnit.SECONDS);
            Arrival fromNode = n0.poll(1, TimeUnit.SECONDS);
            assertTrue(fromClient.at() - t0 < TimeUnit.MILLISECONDS.toNanos(100), "clients are colocated");
            assertTrue(fromNode.at() - t0 >= TimeUnit.MILLISECONDS.toNanos(195), "servers pay the latency");
            assertTrue(fromNode.message().toLine().startsWith("{\"id\":"), "nodes see Maelstrom's message id");
        }
    }

    @Test
    void latencyDistributionsHaveTheRequestedMean() {
        for (var dist : Options.LatencyDist.values()) {
            var latency = new Network.Latency(100, dist, new Random(2));
            double sum = 0;
            long max = 0;
            for (int i = 0; i < 20000; i++) {
                long ms = latency.drawNanos() / 1_000_000;
                sum += ms;
                max = Math.max(max, ms);
            }
            assertEquals(100, sum / 20000, 5, dist.name());
            if (dist == Options.LatencyDist.UNIFORM) {
                assertTrue(max < 200, "uniform stays below twice the mean");
            }
        }
    }

    @Test
    void partitionsDropMessagesThatStillCountAndHealingEndsThem() throws Exception {
        try (var net = new Network(new Network.Latency(0, Options.LatencyDist.CONSTANT, new Random(1)))) {
            var n0 = inbox(net, "n0");
            inbox(net, "n1");
            inbox(net, "lin-kv");
            net.partition(Map.of("n0", Set.of("n1")));
            assertTrue(net.send("n1", "n0", Json.body("gossip")));
            assertTrue(net.send("n0", "n1", Json.body("gossip")), "a grudge is one way");
            assertTrue(net.send("lin-kv", "n0", Json.body("read_ok")), "services are never cut off");
            Arrival first = n0.poll(1, TimeUnit.SECONDS);
            assertEquals("lin-kv", first.message().src());
            assertNull(n0.poll(200, TimeUnit.MILLISECONDS), "the message from n1 was dropped");
            net.heal();
            assertTrue(net.send("n1", "n0", Json.body("gossip")));
            assertEquals("n1", n0.poll(1, TimeUnit.SECONDS).message().src());
            var stats = net.stats();
            assertEquals(4, stats.servers().msgCount(), "dropped messages count, as in Maelstrom's journal");
            assertEquals(3, stats.servers().recvCount());
        }
    }

    @Test
    void aNodeKeptBusyByAPeersMessagesMakesItsClientsWait() throws Exception {
        try (var net = new Network(new Network.Latency(100, Options.LatencyDist.CONSTANT, new Random(1)))) {
            // n0 answers every request at once; its peer n1 sends it a message every 50 ms.
            net.register("n0", m -> {
                if (m.body().has("msg_id")) {
                    net.send("n0", m.src(), Json.body("echo_ok").put("in_reply_to", m.body().get("msg_id").asLong()));
                }
            });
            net.register("n1", m -> { });
            var client = new Client("c1", net);
            var peer = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        net.send("n1", "n0", Json.body("gossip"));
                        Thread.sleep(50);
                    }
                } catch (InterruptedException e) {
                    // The test is over.
                }
            });
            Thread.sleep(200);
            var random = new Random(4);
            var waits = new ArrayList<Double>();
            for (int i = 0; i < 40; i++) {
                long t0 = System.nanoTime();
                assertEquals("echo_ok", Json.type(client.call("n0", Json.body("echo"), Duration.ofSeconds(5))));
                waits.add((System.nanoTime() - t0) / 1e6);
                // At random moments, or every request would come at the same point of the peer's cycle.
                Thread.sleep(random.nextInt(50));
            }
            peer.interrupt();
            waits.sort(null);
            // Maelstrom's recv!: the request waits behind the peer's message at the head of
            // n0's queue, due 0..50 ms later; without the wait it would take well under 1 ms.
            assertTrue(waits.get(20) > 8, "median wait " + waits.get(20) + " ms");
            assertTrue(waits.get(4) < 20, "some requests come just before a peer's message is due: " + waits);
        }
    }

    @Test
    void aPartitionIsAppliedWhenTheReceiverTakesTheMessage() throws Exception {
        try (var net = new Network(new Network.Latency(1000, Options.LatencyDist.CONSTANT, new Random(1)))) {
            var n0 = inbox(net, "n0");
            inbox(net, "n1");
            inbox(net, "n2");
            assertTrue(net.send("n2", "n0", Json.body("first")));
            Thread.sleep(50);
            // n0's loop took "first" at once and sleeps until it is due, in a second.
            net.partition(Map.of("n0", Set.of("n1", "n2")));
            assertTrue(net.send("n1", "n0", Json.body("sent-during-the-partition")));
            Thread.sleep(100);
            net.heal();
            assertEquals("first", Json.type(n0.poll(3, TimeUnit.SECONDS).message().body()),
                    "taken before the partition, so delivered although it began meanwhile");
            assertEquals("sent-during-the-partition", Json.type(n0.poll(3, TimeUnit.SECONDS).message().body()),
                    "taken after the heal, so delivered although sent across the cut");
        }
    }

    @Test
    void messagesToOrFromUnknownEndpointsAreRefusedAndNotCounted() {
        try (var net = new Network(new Network.Latency(0, Options.LatencyDist.CONSTANT, new Random(1)))) {
            inbox(net, "n0");
            assertFalse(net.send("n0", "c9", Json.body("read_ok")));
            assertFalse(net.send("n7", "n0", Json.body("gossip")));
            assertEquals(0, net.stats().all().msgCount());
        }
    }

    @Test
    void nodeOutputIsCheckedAsMaelstromChecksIt() throws Exception {
        assertNull(NodeProcess.Header.read("{\"src\":\"n0\",\"dest\":\"n1\",\"body\":{\"type\":\"x\",\"a\":[1,{}]}}").malformed());
        assertNull(NodeProcess.Header.read("{\"id\":3,\"src\":\"n0\",\"dest\":\"n1\",\"body\":null}").malformed());
        for (String bad : List.of("[]", "\"hi\"", "{\"src\":\"n0\",\"dest\":\"n1\"}",
                "{\"src\":\"n0\",\"dest\":\"n1\",\"body\":{},\"extra\":1}", "{\"src\":1,\"dest\":\"n1\",\"body\":{}}",
                "{\"src\":\"n0\",\"dest\":\"n1\",\"body\":[1]}", "{\"src\":\"n0\",\"dest\":\"n1\",\"body\":{},\"id\":\"x\"}")) {
            assertTrue(NodeProcess.Header.read(bad).malformed() != null, bad);
        }
    }
}
