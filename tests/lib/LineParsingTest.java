package tests.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The node reads its lines with a parser of its own (see lib/Json.java): it must accept
 * exactly the lines jackson-core's parser accepts with its defaults, into the same trees
 * (an IntNode where Jackson has one, not a LongNode), and refuse the rest. A line holds
 * no line break, so the only whitespace inside one is spaces and tabs.
 */
class LineParsingTest {

    /** Jackson as the reference: its parser with its defaults, and nothing allowed after the value. */
    static final ObjectMapper JACKSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    record Probe(JsonNode value) {}

    record ProbeOk() {}

    static final List<String> ACCEPTED = List.of("0", "-0", "7", "-7", "2147483647", "2147483648", "-2147483648",
            "-2147483649", "999999999999999999", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
            "-9223372036854775809", "123456789012345678901234567890", "1.5", "-0.0", "0.25", "1e3", "1E+3", "2e-3",
            "2.5E10", "1e400", "\"\"", "\"plain\"", "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\u00e9\\uD83D\\uDE00\\ud800\\u00FF\"",
            "\"é😀\u007f\"", "true", "false", "null", "[]", "{}", "[1,[2,[3.5]],{\"a\":{}}]", " { \"a\" : 1 , \"a\" : [ ] } ",
            "\t[ 1\t,\t\"x\" ]", "{\"\":null,\"k\\u0041\":false}", "[" + "[".repeat(997) + "]".repeat(997) + "]");

    static final List<String> REFUSED = List.of("01", "-01", "00", "-", "1.", ".5", "+1", "1e", "1e+", "0x1", "NaN",
            "-Infinity", "[1,]", "[,1]", "[1 2]", "{\"a\":1,}", "{a:1}", "{'a':1}", "'x'", "\"\\x\"", "\"\\u12g4\"",
            "\"\\u12\"", "\"tab\there\"", "\"nul\u0000\"", "\"open", "truex", "tru", "nulll", "True", "[1]/*c*/", "[1]#",
            "[1]]", "{\"a\" 1}", "{\"a\":}", "{\"a\"}", "\f1", "[\u00a01]", "[" + "[".repeat(998) + "]".repeat(998) + "]",
            "1" + "0".repeat(1000));

    /** The whole line of a probe carrying {@code value}, inside two containers (the message, its body). */
    static String probe(String value, int msgId) {
        return "{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"probe\",\"value\":" + value + ",\"msg_id\":" + msgId + "}}";
    }

    @Test
    void acceptsWhatJacksonAcceptsIntoTheSameTree() throws Exception {
        var received = new LinkedBlockingQueue<JsonNode>();
        try (var n = NodeHarness.started(node -> node.handle(Probe.class, request -> {
            received.add(request.body().value());
            request.reply(new ProbeOk());
        }))) {
            int msgId = 10;
            for (String value : ACCEPTED) {
                n.line(probe(value, ++msgId));
                assertEquals(msgId, n.nextBody().get("in_reply_to").asInt(), value);
                JsonNode expected = JACKSON.readTree(probe(value, msgId)).get("body").get("value");
                JsonNode got = received.poll(5, TimeUnit.SECONDS);
                assertEquals(expected, got, value); // JsonNode equality tells an IntNode from a LongNode
                assertEquals(expected.getClass(), got.getClass(), value);
            }
        }
    }

    @Test
    void refusesWhatJacksonRefuses() throws Exception {
        try (var n = NodeHarness.started(node -> node.handle(Probe.class, request -> request.reply(new ProbeOk())))) {
            int msgId = 10;
            for (String value : REFUSED) {
                String line = probe(value, ++msgId);
                assertThrows(JsonProcessingException.class, () -> JACKSON.readTree(line), "Jackson refuses " + value);
                n.line(line); // skipped: no answer
                n.line(probe("1", ++msgId));
                assertEquals(msgId, n.nextBody().get("in_reply_to").asInt(), "answered the line after " + value);
            }
            for (String line : List.of(probe("1", 1) + "x", probe("1", 2) + " " + probe("1", 3), "\u000b" + probe("1", 4))) {
                assertThrows(JsonProcessingException.class, () -> JACKSON.readTree(line), "Jackson refuses " + line);
                n.line(line);
            }
            n.line(probe("1", 99));
            assertEquals(99, n.nextBody().get("in_reply_to").asInt(), "nothing answered before the last probe");
        }
    }
}
