package tests.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import lib.Node;
import lib.RpcError;
import org.junit.jupiter.api.Test;

class NodeTest {

    record Echo(JsonNode echo) {}

    record EchoOk(JsonNode echo) {}

    record Add(long delta) {}

    record AddOk() {}

    record ListCommittedOffsetsOk(List<String> keys) {}

    record Fail(int code) {}

    record Crash() {}

    record Ask(String peer) {}

    record AskOk(long answer) {}

    record Answer(long answer) {}

    /** A record whose name does not give its type: by its name it would stand for "fetch_u_r_l". */
    record FetchURL(String url) {}

    /** No JSON binds to a thread. */
    record Unreadable(Thread thread) {}

    record Overflow() {}

    static void echo(Node node) {
        node.handle(Echo.class, request -> request.reply(new EchoOk(request.body().echo())));
    }

    @Test
    void answersInitAndKnowsTheCluster() throws Exception {
        try (var n = NodeHarness.start(NodeTest::echo)) {
            n.send("c0", """
                    {"type":"init","node_id":"n1","node_ids":["n1","n2","n3"],"msg_id":7}""");
            var reply = n.next();
            assertEquals("n1", reply.get("src").asText());
            assertEquals("c0", reply.get("dest").asText());
            assertEquals("init_ok", reply.get("body").get("type").asText());
            assertEquals(7, reply.get("body").get("in_reply_to").asLong());
            assertEquals("n1", n.node.id());
            assertEquals(List.of("n1", "n2", "n3"), n.node.nodeIds());
            assertEquals(List.of("n2", "n3"), n.node.peers());
        }
    }

    @Test
    void malformedInitIsError12() throws Exception {
        try (var n = NodeHarness.started(NodeTest::echo)) {
            n.send("c0", """
                    {"type":"init","node_id":5,"msg_id":1}""");
            var body = n.nextBody();
            assertEquals(12, body.get("code").asInt());
            // JSON nulls fit a String but name no node.
            n.send("c0", """
                    {"type":"init","node_id":null,"node_ids":["n1"],"msg_id":2}""");
            assertEquals(12, n.nextBody().get("code").asInt());
            n.send("c0", """
                    {"type":"init","node_id":"n1","node_ids":["n1",null],"msg_id":3}""");
            assertEquals(12, n.nextBody().get("code").asInt());
            // and the node goes on: a good init is answered
            n.send("c0", """
                    {"type":"init","node_id":"n1","node_ids":["n1"],"msg_id":4}""");
            assertEquals("init_ok", n.nextBody().get("type").asText());
        }
    }

    @Test
    void nothingGoesToStdoutBeforeInit() throws Exception {
        try (var n = NodeHarness.start(NodeTest::echo)) {
            // Each would be answered, but before init the node has no id to send from: they are logged.
            n.send("c0", """
                    {"type":"init","node_id":5,"msg_id":1}""");
            n.send("c0", """
                    {"type":"init","node_id":null,"node_ids":["n1"],"msg_id":2}""");
            n.send("c1", """
                    {"type":"echo","echo":1,"msg_id":3}""");
            n.send("c1", """
                    {"type":"frobnicate","msg_id":4}""");
            n.assertSilent(Duration.ofMillis(300));
            n.send("c0", """
                    {"type":"init","node_id":"n1","node_ids":["n1"],"msg_id":5}""");
            var first = n.next();
            assertEquals("n1", first.get("src").asText());
            assertEquals(5, first.get("body").get("in_reply_to").asLong(), "the first line out is init_ok");
            var held = new java.util.TreeMap<Long, String>();
            for (int i = 0; i < 2; i++) {
                JsonNode body = n.nextBody();
                held.put(body.get("in_reply_to").asLong(), body.get("type").asText() + " " + body.path("code").asInt());
            }
            assertEquals("{3=echo_ok 0, 4=error 10}", held.toString(), "what came before init is handled after it");
        }
    }

    /**
     * After a restart, peers' messages reach the new process before Maelstrom's init: no
     * handler sees them until the init listeners have returned, and they keep their order.
     */
    @Test
    void messagesReadBeforeInitWaitForTheInitListenersInOrder() throws Exception {
        var restored = new AtomicBoolean();
        var seen = new CopyOnWriteArrayList<String>();
        try (var n = NodeHarness.start(node -> {
            node.handle(Echo.class, request -> {
                seen.add(request.body().echo().asText() + (restored.get() ? "" : " before the state was restored"));
                request.reply(new EchoOk(request.body().echo()));
            });
            node.onInit(() -> {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                restored.set(true);
            });
        })) {
            for (int i = 1; i <= 3; i++) n.send("c1", "{\"type\":\"echo\",\"echo\":\"" + i + "\",\"msg_id\":" + i + "}");
            n.send("c0", """
                    {"type":"init","node_id":"n1","node_ids":["n1"],"msg_id":9}""");
            assertEquals("init_ok", n.nextBody().get("type").asText());
            for (int i = 0; i < 3; i++) n.next();
            assertEquals(Set.of("1", "2", "3"), Set.copyOf(seen), "handled after the listener: " + seen);
        }
    }

    /** An init listener may wait for an RPC: its reply is read while the listener waits. */
    @Test
    void anInitListenerMayWaitForAnRpc() throws Exception {
        var answer = new AtomicInteger();
        try (var n = NodeHarness.start(node -> node.onInit(
                () -> answer.set((int) node.syncRpc("lin-kv", new Ask(null), Answer.class, Duration.ofSeconds(5)).answer())))) {
            n.send("c0", """
                    {"type":"init","node_id":"n1","node_ids":["n1"],"msg_id":1}""");
            JsonNode ask = n.next();
            assertEquals("lin-kv", ask.get("dest").asText());
            n.send("lin-kv", "{\"type\":\"answer\",\"answer\":42,\"in_reply_to\":" + ask.get("body").get("msg_id") + "}");
            assertEquals("init_ok", n.nextBody().get("type").asText());
            assertEquals(42, answer.get());
        }
    }

    /**
     * A reply completes an RPC only if it comes from where the request went: a peer's late
     * answer to this node's previous incarnation may carry the same id.
     */
    @Test
    void aReplyFromAnotherSenderThanTheRequestsDestinationIsNotItsAnswer() throws Exception {
        try (var n = NodeHarness.started(NodeTest::echo)) {
            CompletableFuture<Answer> asked = n.node.rpc("n2", new Ask(null), Answer.class, Duration.ofSeconds(5));
            long msgId = n.next().get("body").get("msg_id").asLong();
            n.send("n3", "{\"type\":\"answer\",\"answer\":1,\"in_reply_to\":" + msgId + "}");
            n.send("n2", "{\"type\":\"answer\",\"answer\":2,\"in_reply_to\":" + msgId + "}");
            assertEquals(2, Node.await(asked).answer());
        }
    }

    @Test
    void repliesWithTheRecordTypedByItsName() throws Exception {
        try (var n = NodeHarness.started(NodeTest::echo)) {
            n.send("c4", """
                    {"type":"echo","echo":{"a":[1,2.5,null,"x"]},"msg_id":3}""");
            var reply = n.next();
            assertEquals("c4", reply.get("dest").asText());
            assertEquals("echo_ok", reply.get("body").get("type").asText());
            assertEquals(3, reply.get("body").get("in_reply_to").asLong());
            assertEquals(NodeHarness.JSON.readTree("{\"a\":[1,2.5,null,\"x\"]}"), reply.get("body").get("echo"));
        }
    }

    @Test
    void typeNamesAreSnakeCase() throws Exception {
        try (var n = NodeHarness.started(node -> node.handle(Echo.class,
                request -> request.reply(new ListCommittedOffsetsOk(List.of("k")))))) {
            n.send("c1", """
                    {"type":"echo","echo":1,"msg_id":2}""");
            var body = n.nextBody();
            assertEquals("list_committed_offsets_ok", body.get("type").asText());
            assertEquals("k", body.get("keys").get(0).asText());
        }
    }

    @Test
    void skipsMalformedJsonAndLinesThatAreNoMessage() throws Exception {
        try (var n = NodeHarness.started(NodeTest::echo)) {
            n.line("garbage");
            n.line("{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"echo\"");
            n.line("[1,2]");
            n.line("{\"src\":1,\"dest\":\"n1\",\"body\":{\"type\":\"echo\",\"echo\":1,\"msg_id\":1}}");
            n.line("{\"src\":\"c1\",\"dest\":\"n1\",\"body\":3}");
            n.line("{\"a\":1} {\"b\":2}");
            n.line("");
            n.send("c1", """
                    {"type":"echo","echo":"after","msg_id":9}""");
            var body = n.nextBody();
            assertEquals(9, body.get("in_reply_to").asLong(), "the first line out answers the only well-formed request");
            assertEquals("after", body.get("echo").asText());
            n.assertSilent(Duration.ofMillis(200));
        }
    }

    @Test
    void unknownTypeIsError10() throws Exception {
        try (var n = NodeHarness.started(NodeTest::echo)) {
            n.send("c1", """
                    {"type":"frobnicate","msg_id":4}""");
            var body = n.nextBody();
            assertEquals("error", body.get("type").asText());
            assertEquals(10, body.get("code").asInt());
            assertEquals(4, body.get("in_reply_to").asLong());
            assertTrue(body.get("text").asText().contains("frobnicate"));
        }
    }

    @Test
    void missingOrMistypedFieldIsError12() throws Exception {
        try (var n = NodeHarness.started(node -> node.handle(Add.class, request -> request.reply(new AddOk())))) {
            n.send("c1", """
                    {"type":"add","msg_id":1}""");
            var missing = n.nextBody();
            assertEquals(12, missing.get("code").asInt());
            assertTrue(missing.get("text").asText().contains("delta"), missing.toString());
            n.send("c1", """
                    {"type":"add","delta":"lots","msg_id":2}""");
            var mistyped = n.nextBody();
            assertEquals(12, mistyped.get("code").asInt());
            assertEquals(2, mistyped.get("in_reply_to").asLong());
            n.send("c1", """
                    {"type":"add","delta":null,"msg_id":3}""");
            assertEquals(12, n.nextBody().get("code").asInt());
        }
    }

    @Test
    void handlerErrorsBecomeErrorRepliesAndTheNodeGoesOn() throws Exception {
        try (var n = NodeHarness.started(node -> {
            echo(node);
            node.handle(Fail.class, request -> {
                throw new RpcError(request.body().code(), "refused");
            });
            node.handle(Crash.class, request -> {
                throw new IllegalStateException("boom");
            });
            node.handle(Overflow.class, request -> {
                throw new StackOverflowError("deep");
            });
        })) {
            n.send("c1", """
                    {"type":"fail","code":22,"msg_id":1}""");
            var refused = n.nextBody();
            assertEquals(22, refused.get("code").asInt());
            assertEquals("refused", refused.get("text").asText());
            n.send("c1", """
                    {"type":"crash","msg_id":2}""");
            var crashed = n.nextBody();
            assertEquals(13, crashed.get("code").asInt());
            assertTrue(crashed.get("text").asText().contains("boom"));
            n.send("c1", """
                    {"type":"overflow","msg_id":4}""");
            var overflowed = n.nextBody(); // an Error, too, is answered, and the node goes on
            assertEquals(13, overflowed.get("code").asInt());
            assertTrue(overflowed.get("text").asText().contains("deep"), overflowed.toString());
            n.send("c1", """
                    {"type":"echo","echo":1,"msg_id":3}""");
            assertEquals("echo_ok", n.nextBody().get("type").asText());
        }
    }

    @Test
    void messagesWithoutMsgIdGetNoReply() throws Exception {
        try (var n = NodeHarness.started(NodeTest::echo)) {
            n.send("n2", """
                    {"type":"echo","echo":1}""");
            n.send("n2", """
                    {"type":"unheard_of"}""");
            n.send("n2", """
                    {"type":"echo_ok","echo":1}""");
            n.send("n2", """
                    {"type":"error","code":13,"text":"x"}""");
            n.send("n2", """
                    {"type":"echo_ok","in_reply_to":12345}""");
            n.assertSilent(Duration.ofMillis(300));
        }
    }

    @Test
    void rpcCompletesWithTheReplyOrItsError() throws Exception {
        try (var n = NodeHarness.started(NodeTest::echo)) {
            CompletableFuture<EchoOk> ok = n.node.rpc("n2", new Echo(NodeHarness.JSON.valueToTree("hi")), EchoOk.class, Duration.ofSeconds(5));
            var request = n.next();
            assertEquals("n1", request.get("src").asText());
            assertEquals("n2", request.get("dest").asText());
            long msgId = request.get("body").get("msg_id").asLong();
            n.send("n2", "{\"type\":\"echo_ok\",\"echo\":\"back\",\"in_reply_to\":" + msgId + "}");
            assertEquals("back", Node.await(ok).echo().asText());

            CompletableFuture<JsonNode> failed = n.node.rpc("n3", new Echo(null), JsonNode.class, Duration.ofSeconds(5));
            long second = n.next().get("body").get("msg_id").asLong();
            assertTrue(second != msgId, "every rpc has its own msg_id");
            n.send("n3", "{\"type\":\"error\",\"code\":20,\"text\":\"nope\",\"in_reply_to\":" + second + "}");
            var error = assertThrows(RpcError.class, () -> Node.await(failed));
            assertEquals(20, error.code());
            assertEquals("nope", error.text());
            assertTrue(error.definite());
        }
    }

    @Test
    void rpcTimesOutWithCode0AndIgnoresTheLateReply() throws Exception {
        try (var n = NodeHarness.started(NodeTest::echo)) {
            var error = assertThrows(RpcError.class,
                    () -> n.node.syncRpc("n2", new Echo(null), JsonNode.class, Duration.ofMillis(100)));
            assertEquals(RpcError.TIMEOUT, error.code());
            assertFalse(error.definite());
            long msgId = n.next().get("body").get("msg_id").asLong();
            n.send("n2", "{\"type\":\"echo_ok\",\"echo\":null,\"in_reply_to\":" + msgId + "}");
            n.assertSilent(Duration.ofMillis(200));
        }
    }

    @Test
    void handlersMayBlockOnRpcs() throws Exception {
        try (var n = NodeHarness.started(node -> node.handle(Ask.class, request -> {
            Answer answer = node.syncRpc(request.body().peer(), new Ask(null), Answer.class, Duration.ofSeconds(5));
            request.reply(new AskOk(answer.answer() + 1));
        }))) {
            n.send("c1", """
                    {"type":"ask","peer":"n2","msg_id":1}""");
            n.send("c2", """
                    {"type":"ask","peer":"n3","msg_id":1}""");
            // both handlers ask before either is answered: they block concurrently
            var questions = List.of(n.next(), n.next());
            assertEquals(java.util.Set.of("n2", "n3"), new HashSet<>(questions.stream().map(q -> q.get("dest").asText()).toList()));
            for (var question : questions) {
                n.send(question.get("dest").asText(), "{\"type\":\"answer\",\"answer\":41,\"in_reply_to\":"
                        + question.get("body").get("msg_id").asLong() + "}");
            }
            for (int i = 0; i < 2; i++) assertEquals(42, n.nextBody().get("answer").asLong());
        }
    }

    @Test
    void periodicTasksStartAfterInit() throws Exception {
        var runs = new AtomicInteger();
        try (var n = NodeHarness.start(node -> node.every(Duration.ofMillis(10), runs::incrementAndGet))) {
            Thread.sleep(100);
            assertEquals(0, runs.get(), "no task before init");
            n.send("c0", """
                    {"type":"init","node_id":"n1","node_ids":["n1"],"msg_id":1}""");
            n.next();
            Thread.sleep(200);
            assertTrue(runs.get() >= 3, "ran " + runs.get() + " times");
        }
    }

    @Test
    void periodicTaskFailuresDoNotStopIt() throws Exception {
        var runs = new AtomicInteger();
        try (var n = NodeHarness.started(node -> node.every(Duration.ofMillis(10), () -> {
            // an exception, then an Error, in turn: neither stops the task
            if (runs.incrementAndGet() % 2 == 0) throw new AssertionError("flakier");
            throw new IllegalStateException("flaky");
        }))) {
            Thread.sleep(200);
            assertTrue(runs.get() >= 3, "ran " + runs.get() + " times");
        }
    }

    @Test
    void periodicTasksStopWhenStdinCloses() throws Exception {
        var runs = new AtomicInteger();
        var n = NodeHarness.started(node -> node.every(Duration.ofMillis(10), runs::incrementAndGet));
        Thread.sleep(100);
        assertTrue(n.closeInput(Duration.ofSeconds(5)));
        Thread.sleep(50);
        int stopped = runs.get();
        Thread.sleep(200);
        assertEquals(stopped, runs.get(), "the task kept running after stdin closed");
    }

    @Test
    void runReturnsWhenStdinClosesAfterAnsweringWhatItHolds() throws Exception {
        var n = NodeHarness.started(node -> node.handle(Add.class, request -> {
            Thread.sleep(300);
            request.reply(new AddOk());
        }));
        n.send("c1", """
                {"type":"add","delta":1,"msg_id":5}""");
        assertTrue(n.closeInput(Duration.ofSeconds(5)), "run() returned");
        assertEquals(5, n.nextBody().get("in_reply_to").asLong());
    }

    @Test
    void concurrentRepliesAreWholeLines() throws Exception {
        try (var n = NodeHarness.started(NodeTest::echo)) {
            String payload = "x".repeat(5000);
            for (int i = 0; i < 300; i++) {
                n.send("c1", "{\"type\":\"echo\",\"echo\":\"" + payload + "\",\"msg_id\":" + i + "}");
            }
            var seen = new HashSet<Long>();
            for (int i = 0; i < 300; i++) {
                var body = n.nextBody();
                assertEquals(payload, body.get("echo").asText());
                seen.add(body.get("in_reply_to").asLong());
            }
            assertEquals(300, seen.size());
        }
    }

    @Test
    void inOrderHandlersTakeEffectInArrivalOrderWhichConcurrentOnesDoNot() throws Exception {
        assertEquals(List.of("echo", "add"), handledOrder(false), "a concurrent slow handler finishes last");
        assertEquals(List.of("add", "echo"), handledOrder(true));
    }

    /** The order in which a slow add, then a quick echo, finish their handlers. */
    private static List<String> handledOrder(boolean inOrder) throws Exception {
        var done = new CopyOnWriteArrayList<String>();
        Node.Handler<Add> add = request -> {
            Thread.sleep(200);
            done.add("add");
            request.reply(new AddOk());
        };
        Node.Handler<Echo> echo = request -> {
            done.add("echo");
            request.reply(new EchoOk(request.body().echo()));
        };
        try (var n = NodeHarness.started(node -> {
            if (inOrder) {
                node.handleInOrder(Add.class, add);
                node.handleInOrder(Echo.class, echo);
            } else {
                node.handle(Add.class, add);
                node.handle(Echo.class, echo);
            }
        })) {
            n.send("c1", """
                    {"type":"add","delta":1,"msg_id":1}""");
            n.send("c1", """
                    {"type":"echo","echo":1,"msg_id":2}""");
            n.nextBody();
            n.nextBody();
        }
        return List.copyOf(done);
    }

    @Test
    void aSecondHandlerForATypeIsRefused() {
        var node = new Node();
        echo(node);
        assertThrows(IllegalArgumentException.class, () -> echo(node));
        assertThrows(IllegalArgumentException.class, () -> node.handle("echo", Add.class, request -> {}));
        assertThrows(IllegalArgumentException.class, () -> node.handle("init", Add.class, request -> {}),
                "init is the node's own");
    }

    @Test
    void anExplicitTypeNameHandlesWhatTheRecordNameCannot() throws Exception {
        try (var n = NodeHarness.started(node -> node.handle("fetch_url", FetchURL.class,
                request -> request.reply(new EchoOk(NodeHarness.JSON.valueToTree(request.body().url())))))) {
            n.send("c1", """
                    {"type":"fetch_url","url":"u","msg_id":1}""");
            assertEquals("u", n.nextBody().get("echo").asText());
            n.send("c1", """
                    {"type":"fetch_u_r_l","url":"u","msg_id":2}""");
            assertEquals(10, n.nextBody().get("code").asInt(), "only the given name is handled");
            n.send("c1", """
                    {"type":"fetch_url","msg_id":3}""");
            var malformed = n.nextBody();
            assertEquals(12, malformed.get("code").asInt());
            assertTrue(malformed.get("text").asText().startsWith("fetch_url: "), malformed.toString());
        }
    }

    @Test
    void anRpcWhoseReplyTypeCannotBeReadFailsUnsent() throws Exception {
        try (var n = NodeHarness.started(node -> {})) {
            assertThrows(IllegalArgumentException.class,
                    () -> n.node.rpc("n2", new Echo(null), Unreadable.class, Duration.ofSeconds(5)));
            assertThrows(IllegalArgumentException.class,
                    () -> n.node.syncRpc("n2", new Echo(null), Unreadable.class, Duration.ofSeconds(5)));
            n.assertSilent(Duration.ofMillis(200));
        }
    }

    @Test
    void aReplyThatDoesNotFitIsIndefiniteError13() throws Exception {
        try (var n = NodeHarness.started(NodeTest::echo)) {
            CompletableFuture<Answer> asked = n.node.rpc("n2", new Ask(null), Answer.class, Duration.ofSeconds(5));
            long msgId = n.next().get("body").get("msg_id").asLong();
            n.send("n2", "{\"type\":\"answer\",\"answer\":\"many\",\"in_reply_to\":" + msgId + "}");
            var error = assertThrows(RpcError.class, () -> Node.await(asked));
            assertEquals(RpcError.CRASH, error.code());
            assertFalse(error.definite(), "the peer acted on the request");
            assertTrue(error.text().contains("answer"), error.text());
        }
    }

    @Test
    void initListenersRunBeforeInitOk() throws Exception {
        var ran = new AtomicBoolean();
        try (var n = NodeHarness.start(node -> node.onInit(() -> {
            try {
                Thread.sleep(300); // init_ok, if it went first, would be out by now
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            ran.set(true);
        }))) {
            n.send("c0", """
                    {"type":"init","node_id":"n1","node_ids":["n1"],"msg_id":1}""");
            assertEquals("init_ok", n.nextBody().get("type").asText());
            assertTrue(ran.get(), "init_ok came before the listener had run");
            assertThrows(IllegalStateException.class, () -> n.node.onInit(() -> {}), "a listener after init would never run");
        }
    }

    @Test
    void aFailingInitListenerIsAnsweredAsError13AndTheNodeGoesOn() throws Exception {
        var second = new AtomicBoolean();
        try (var n = NodeHarness.start(node -> {
            echo(node);
            node.onInit(() -> {
                throw new IllegalStateException("no state");
            });
            node.onInit(() -> {
                throw new StackOverflowError("deep");
            });
            node.onInit(() -> second.set(true));
        })) {
            n.send("c0", """
                    {"type":"init","node_id":"n1","node_ids":["n1"],"msg_id":1}""");
            var body = n.nextBody();
            assertEquals("error", body.get("type").asText());
            assertEquals(13, body.get("code").asInt());
            assertEquals(1, body.get("in_reply_to").asLong());
            assertTrue(body.get("text").asText().contains("no state"), body.toString());
            assertTrue(second.get(), "the other listeners ran");
            n.send("c1", """
                    {"type":"echo","echo":1,"msg_id":2}""");
            assertEquals("echo_ok", n.nextBody().get("type").asText(), "the reader thread is alive");
        }
    }

    @Test
    void periodicTasksRegisteredAfterInitRunToo() throws Exception {
        var runs = new AtomicInteger();
        try (var n = NodeHarness.started(node -> {})) {
            n.node.every(Duration.ofMillis(10), runs::incrementAndGet);
            Thread.sleep(300);
            assertTrue(runs.get() >= 3, "ran " + runs.get() + " times");
        }
    }

    @Test
    void aTaskWaitsItsPeriodAfterEachRunEnds() throws Exception {
        var starts = new java.util.concurrent.CopyOnWriteArrayList<Long>();
        try (var n = NodeHarness.started(node -> node.every(Duration.ofMillis(50), () -> {
            starts.add(System.nanoTime());
            try {
                Thread.sleep(150); // at a fixed rate the next run would start 50 ms after this one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }))) {
            Thread.sleep(1000);
            assertTrue(starts.size() >= 2, "ran " + starts.size() + " times");
            for (int i = 1; i < starts.size(); i++) {
                long gapMillis = (starts.get(i) - starts.get(i - 1)) / 1_000_000;
                assertTrue(gapMillis >= 195, "a run started " + gapMillis + " ms after the previous one started");
            }
        }
    }
}
