package bench;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** The bench's one JSON mapper and a few helpers for message bodies. */
public final class Json {

    /**
     * Reads every integer as a long, so that equal numbers compare equal whatever their
     * size on the wire; Maelstrom's services compare values the same way.
     */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_LONG_FOR_INTS);

    private Json() {
    }

    /** A new empty object. */
    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** A new empty array. */
    public static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    /** A new body {"type": type}. */
    public static ObjectNode body(String type) {
        return object().put("type", type);
    }

    /** The body of Maelstrom's init for node {@code nodeId} of the cluster {@code nodeIds}. */
    public static ObjectNode init(String nodeId, List<String> nodeIds) {
        ObjectNode body = body("init").put("node_id", nodeId);
        nodeIds.forEach(body.putArray("node_ids")::add);
        return body;
    }

    /**
     * The value with every integer as a long, so that equal integers are equal JSON
     * values whether they were parsed or built in code with an int.
     */
    public static JsonNode normalize(JsonNode v) {
        return v != null && v.isIntegralNumber() && v.canConvertToLong() ? LongNode.valueOf(v.longValue()) : v;
    }

    /**
     * The body of a message line already checked to be well-formed, or an empty object
     * when its body is not an object.
     */
    public static ObjectNode bodyOf(String line) {
        try {
            return MAPPER.readTree(line).get("body") instanceof ObjectNode body ? body : object();
        } catch (IOException e) {
            throw new UncheckedIOException("a line checked before cannot fail to parse", e);
        }
    }

    /** The body's "type", or "" when it has none. */
    public static String type(JsonNode body) {
        return body == null ? "" : body.path("type").asText("");
    }
}
