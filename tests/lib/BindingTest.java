package tests.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import lib.Node;
import org.junit.jupiter.api.Test;

/** How bodies bind to records, seen from outside: requests in, replies out. */
class BindingTest {

    record Inner(int origin, List<Long> values) {}

    record Everything(String text, int small, long big, double ratio, boolean flag, Long maybe,
                      List<Long> values, Set<String> tags, Map<String, List<Integer>> groups, int[] counts,
                      Inner inner, List<Inner> inners, JsonNode anything) {}

    record EverythingOk(String text, int small, long big, double ratio, boolean flag, Long maybe,
                        List<Long> values, Set<String> tags, Map<String, List<Integer>> groups, int[] counts,
                        Inner inner, List<Inner> inners, JsonNode anything) {}

    /** A micro-op as a transaction carries it: an array, not an object. */
    sealed interface Op {
        @JsonCreator
        static Op of(List<JsonNode> op) {
            if (!op.get(0).asText().equals("r")) throw new IllegalArgumentException("unknown op " + op.get(0));
            return new ReadOp(op.get(1).asLong());
        }
    }

    record ReadOp(long key) implements Op {
        @JsonValue
        List<Object> json() {
            return Arrays.asList("r", key, null);
        }
    }

    record Txn(List<Op> txn) {}

    record TxnOk(List<Op> txn) {}

    record Unsupported(Map<Long, String> byNumber) {}

    static final String EVERYTHING = """
            {"type":"everything","text":"héllo","small":-7,"big":9007199254740993,"ratio":0.25,"flag":true,\
            "maybe":null,"values":[1,2,3],"tags":["a","b"],"groups":{"x":[1],"y":[]},"counts":[4,5],\
            "inner":{"origin":1,"values":[]},"inners":[{"origin":2,"values":[7]}],"anything":{"deep":[null,"s"]},\
            "msg_id":1}""";

    static void everything(Node node) {
        node.handle(Everything.class, request -> {
            Everything e = request.body();
            request.reply(new EverythingOk(e.text(), e.small(), e.big(), e.ratio(), e.flag(), e.maybe(), e.values(),
                    e.tags(), e.groups(), e.counts(), e.inner(), e.inners(), e.anything()));
        });
        node.handle(Txn.class, request -> request.reply(new TxnOk(request.body().txn())));
    }

    @Test
    void aBodyReadAndWrittenBackIsTheSame() throws Exception {
        try (var n = NodeHarness.started(BindingTest::everything)) {
            n.send("c1", EVERYTHING);
            ObjectNode reply = (ObjectNode) n.nextBody();
            assertEquals("everything_ok", reply.get("type").asText());
            ObjectNode sent = (ObjectNode) NodeHarness.JSON.readTree(EVERYTHING);
            sent.remove(List.of("type", "msg_id"));
            reply.remove(List.of("type", "in_reply_to"));
            assertEquals(sent, reply);
        }
    }

    @Test
    void creatorsAndValueMethodsCarryNonObjectShapes() throws Exception {
        try (var n = NodeHarness.started(BindingTest::everything)) {
            n.send("c1", """
                    {"type":"txn","txn":[["r",3,null],["r",4,null]],"msg_id":1}""");
            assertEquals(NodeHarness.JSON.readTree("""
                    {"type":"txn_ok","txn":[["r",3,null],["r",4,null]],"in_reply_to":1}"""), n.nextBody());
        }
    }

    @Test
    void aMismatchIsError12NamingWhereItIs() throws Exception {
        // field, a value that does not fit it, and how the error text begins
        String[][] cases = {
                {"small", "\"seven\"", "field 'small': expected a 32-bit integer"},
                {"small", "3000000000", "field 'small': expected a 32-bit integer"},
                {"flag", "null", "field 'flag': expected a boolean, got null"},
                {"text", "null", "field 'text': expected a string, got null"},
                {"values", "[1,null]", "field 'values[1]': expected a long, got null"},
                {"inner", "null", "field 'inner': expected an object, got null"},
                {"groups", "{\"x\":null}", "field 'groups.x': expected an array, got null"},
                {"inners", "[{\"origin\":2,\"values\":[7]},{\"origin\":3}]", "field 'inners[1].values': missing"},
                {"groups", "{\"x\":[1,\"y\"]}", "field 'groups.x[1]': expected a 32-bit integer"},
                {"counts", "{}", "field 'counts': expected an array"},
        };
        try (var n = NodeHarness.started(BindingTest::everything)) {
            for (String[] bad : cases) {
                ObjectNode request = (ObjectNode) NodeHarness.JSON.readTree(EVERYTHING);
                request.set(bad[0], NodeHarness.JSON.readTree(bad[1]));
                n.send("c1", request.toString());
                JsonNode error = n.nextBody();
                assertEquals(12, error.get("code").asInt(), bad[1] + " gave " + error);
                String text = error.get("text").asText();
                assertTrue(text.startsWith("everything: " + bad[2]), bad[1] + " gave " + text);
            }
            n.send("c1", """
                    {"type":"txn","txn":[["r",3,null],["w",4,5]],"msg_id":1}""");
            assertEquals("txn: field 'txn[1]': unknown op \"w\"", n.nextBody().get("text").asText());
            n.send("c1", """
                    {"type":"txn","txn":[null],"msg_id":2}""");
            assertEquals("txn: field 'txn[0]': expected an array, got null", n.nextBody().get("text").asText());
        }
    }

    @Test
    void aMissingFieldIsError12() throws Exception {
        try (var n = NodeHarness.started(BindingTest::everything)) {
            n.send("c1", EVERYTHING.replace("\"text\":\"héllo\",", ""));
            JsonNode error = n.nextBody();
            assertEquals(12, error.get("code").asInt());
            assertEquals("everything: field 'text': missing", error.get("text").asText());
        }
    }

    @Test
    void aRecordTheBindingCannotReadFailsAtRegistration() {
        var failure = assertThrows(IllegalArgumentException.class,
                () -> new Node().handle(Unsupported.class, request -> {}));
        assertTrue(failure.getMessage().contains("java.util.Map<java.lang.Long"), failure.getMessage());
    }
}
