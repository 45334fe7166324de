package tests.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bench.Json;
import bench.Network;
import bench.NodeProcess;
import bench.Options;
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
            long t0 = System.nanoTime();
            assertTrue(net.send("n1", "n0", Json.body("gossip")));
            assertTrue(net.send("c1", "n1", Json.body("read")));
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
