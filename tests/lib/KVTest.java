package tests.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import lib.KV;
import lib.RpcError;
import org.junit.jupiter.api.Test;

class KVTest {

    /** Runs {@code call} on another thread; answers its one request with {@code reply}. */
    private static <T> T serve(NodeHarness n, String service, String expectedType, java.util.function.Consumer<JsonNode> check,
                               String reply, java.util.concurrent.Callable<T> call) throws Exception {
        var result = CompletableFuture.supplyAsync(() -> {
            try {
                return call.call();
            } catch (Exception e) {
                throw e instanceof RuntimeException r ? r : new RuntimeException(e);
            }
        });
        var request = n.next();
        assertEquals(service, request.get("dest").asText());
        var body = request.get("body");
        assertEquals(expectedType, body.get("type").asText());
        check.accept(body);
        n.send(service, reply.replace("$ID", body.get("msg_id").asText()));
        try {
            return result.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    @Test
    void readsWritesAndCompareAndSets() throws Exception {
        try (var n = NodeHarness.started(node -> {})) {
            var kv = KV.seq(n.node);
            long value = serve(n, "seq-kv", "read", body -> assertEquals("counter", body.get("key").asText()),
                    """
                    {"type":"read_ok","value":41,"in_reply_to":$ID}""", () -> kv.read("counter", Long.class));
            assertEquals(41, value);

            List<?> list = serve(n, "seq-kv", "read", body -> assertEquals(7, body.get("key").asInt()),
                    """
                    {"type":"read_ok","value":[1,2],"in_reply_to":$ID}""", () -> kv.read(7, List.class));
            assertEquals(List.of(1, 2), list);

            serve(n, "seq-kv", "write", body -> {
                assertEquals("k", body.get("key").asText());
                assertEquals(3, body.get("value").get(0).asInt());
            }, """
                    {"type":"write_ok","in_reply_to":$ID}""", () -> {
                kv.write("k", List.of(3));
                return null;
            });

            serve(n, "seq-kv", "cas", body -> {
                assertEquals(1, body.get("from").asInt());
                assertEquals(2, body.get("to").asInt());
                assertTrue(body.get("create_if_not_exists").asBoolean());
            }, """
                    {"type":"cas_ok","in_reply_to":$ID}""", () -> {
                kv.cas("k", 1, 2, true);
                return null;
            });
        }
    }

    @Test
    void errorsComeBackTyped() throws Exception {
        try (var n = NodeHarness.started(node -> {})) {
            var kv = KV.lin(n.node);
            Long absent = serve(n, "lin-kv", "read", body -> {}, """
                    {"type":"error","code":20,"text":"not found","in_reply_to":$ID}""", () -> kv.read("x", Long.class, null));
            assertNull(absent);

            var missing = assertThrows(RpcError.class, () -> serve(n, "lin-kv", "read", body -> {}, """
                    {"type":"error","code":20,"text":"not found","in_reply_to":$ID}""", () -> kv.read("x", Long.class)));
            assertEquals(RpcError.KEY_DOES_NOT_EXIST, missing.code());

            var mismatch = assertThrows(RpcError.class, () -> serve(n, "lin-kv", "cas", body -> {
                assertTrue(body.get("create_if_not_exists").isBoolean());
            }, """
                    {"type":"error","code":22,"text":"expected 1","in_reply_to":$ID}""", () -> {
                kv.cas("x", 1, 2, false);
                return null;
            }));
            assertEquals(RpcError.PRECONDITION_FAILED, mismatch.code());

            // An answer that does not fit is indefinite: the service did act on the request.
            var malformed = assertThrows(RpcError.class, () -> serve(n, "lin-kv", "read", body -> {}, """
                    {"type":"read_ok","value":"not a number","in_reply_to":$ID}""", () -> kv.read("x", Long.class)));
            assertEquals(RpcError.CRASH, malformed.code());
            assertFalse(malformed.definite());
        }
    }

    record Unreadable(Thread thread) {}

    @Test
    void aValueTypeTheBindingCannotReadFailsUnsent() throws Exception {
        try (var n = NodeHarness.started(node -> {})) {
            assertThrows(IllegalArgumentException.class, () -> KV.seq(n.node).read("k", Unreadable.class));
            n.assertSilent(java.time.Duration.ofMillis(200));
        }
    }
}
