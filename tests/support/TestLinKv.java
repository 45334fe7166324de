package tests.support;

import bench.service.Services;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code lin-kv} service of one test, for tests that speak to nodes by hand: the
 * bench's own, answering the lines a node sends it. A node that keeps state names its
 * folder there at init (lib/Disk), so each test needs one, fresh.
 */
public final class TestLinKv {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Services.LinKv kv = new Services.LinKv();

    /**
     * The line that answers {@code message}, if it is a request to lin-kv that Maelstrom
     * answers; else null, and the caller sees the message itself.
     */
    public synchronized String answer(JsonNode message) {
        if (!message.path("dest").asText().equals("lin-kv")) return null;
        ObjectNode reply = Services.reply(kv, message.get("src").asText(), (ObjectNode) message.get("body"));
        if (reply == null) return null;
        return "{\"src\":\"lin-kv\",\"dest\":" + message.get("src") + ",\"body\":" + reply + "}";
    }

    /** The value under {@code key}, or a missing node when there is none. */
    public synchronized JsonNode value(String key) {
        return kv.handle("test", JSON.createObjectNode().put("type", "read").put("key", key)).path("value");
    }
}
