package lib;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How message bodies map to Java records: field names in snake_case, and the message
 * type taken from the record's simple name ({@code EchoOk} is {@code "echo_ok"}).
 */
final class Json {

    /** Strict where it matters: a record component missing from a request is an error. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private static final ClassValue<String> TYPE_NAMES = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            String name = type.getSimpleName();
            var snake = new StringBuilder(name.length() + 4);
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (Character.isUpperCase(c) && i > 0) snake.append('_');
                snake.append(Character.toLowerCase(c));
            }
            return snake.toString();
        }
    };

    private Json() {
    }

    /** The message type a record class stands for. */
    static String typeName(Class<?> type) {
        return TYPE_NAMES.get(type);
    }

    /**
     * A body as a JSON object: an {@link ObjectNode} is taken as it is (it must carry its
     * own type), a record gets its type from its class name.
     */
    static ObjectNode body(Object body) {
        if (body instanceof ObjectNode node) return node.deepCopy();
        if (!(body instanceof Record)) {
            throw new IllegalArgumentException("a body is a record or an ObjectNode, not " + body.getClass());
        }
        ObjectNode node = MAPPER.createObjectNode().put("type", typeName(body.getClass()));
        node.setAll((ObjectNode) MAPPER.valueToTree(body));
        return node;
    }

    /** Converts a JSON value to {@code type}; a mismatch is a malformed-request error. */
    static <T> T convert(JsonNode value, Class<T> type) {
        if (type.isInstance(value)) return type.cast(value);
        try {
            return MAPPER.treeToValue(value, type);
        } catch (JsonProcessingException e) {
            // Jackson's text ends with advice on its own settings, which helps no sender
            String why = e.getOriginalMessage().replaceFirst(";? *`[\\w.]+` enabled.*$", "");
            throw new RpcError(RpcError.MALFORMED_REQUEST, typeName(type) + ": " + why);
        } catch (IllegalArgumentException e) {
            throw new RpcError(RpcError.MALFORMED_REQUEST, typeName(type) + ": " + e.getMessage());
        }
    }
}
