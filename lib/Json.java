package lib;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * How messages map to JSON: whole lines to trees, with jackson-core's streaming parser
 * and generator, and bodies to Java records through {@link Binding}, with field names
 * in snake_case and the message type taken from the record's simple name
 * ({@code EchoOk} is {@code "echo_ok"}).
 */
final class Json {

    /** The nodes of every tree; building them needs no mapper. */
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final JsonFactory STREAMS = new JsonFactory();

    private static final ClassValue<String> TYPE_NAMES = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            return Binding.snakeCase(type.getSimpleName());
        }
    };

    private Json() {
    }

    /** The message type a record class stands for. */
    static String typeName(Class<?> type) {
        return TYPE_NAMES.get(type);
    }

    /** Parses one line holding exactly one JSON value. */
    static JsonNode parse(String line) throws JsonProcessingException {
        try (JsonParser parser = STREAMS.createParser(line)) {
            JsonToken first = parser.nextToken();
            if (first == null) throw new JsonParseException(parser, "no JSON value");
            JsonNode value = read(parser, first);
            if (parser.nextToken() != null) throw new JsonParseException(parser, "more than one JSON value");
            return value;
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a String never fails to read
        }
    }

    private static JsonNode read(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    object.set(field, read(parser, parser.nextToken()));
                }
                yield object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                for (JsonToken next; (next = parser.nextToken()) != JsonToken.END_ARRAY; ) array.add(read(parser, next));
                yield array;
            }
            case VALUE_STRING -> NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> NODES.numberNode(parser.getIntValue());
                case LONG -> NODES.numberNode(parser.getLongValue());
                default -> NODES.numberNode(parser.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDoubleValue());
            case VALUE_TRUE, VALUE_FALSE -> NODES.booleanNode(token == JsonToken.VALUE_TRUE);
            case VALUE_NULL -> NODES.nullNode();
            default -> throw new JsonParseException(parser, "unexpected " + token);
        };
    }

    /** Writes a tree as one line of JSON. */
    static String write(JsonNode value) {
        var line = new StringWriter();
        try (JsonGenerator generator = STREAMS.createGenerator(line)) {
            write(generator, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter never fails
        }
        return line.toString();
    }

    private static void write(JsonGenerator out, JsonNode value) throws IOException {
        switch (value.getNodeType()) {
            case OBJECT -> {
                out.writeStartObject();
                for (var field : value.properties()) {
                    out.writeFieldName(field.getKey());
                    write(out, field.getValue());
                }
                out.writeEndObject();
            }
            case ARRAY -> {
                out.writeStartArray();
                for (JsonNode element : value) write(out, element);
                out.writeEndArray();
            }
            case STRING -> out.writeString(value.textValue());
            case NUMBER -> {
                if (value.isBigInteger()) out.writeNumber(value.bigIntegerValue());
                else if (value.isIntegralNumber()) out.writeNumber(value.longValue());
                else if (value.isBigDecimal()) out.writeNumber(value.decimalValue());
                else out.writeNumber(value.doubleValue());
            }
            case BOOLEAN -> out.writeBoolean(value.booleanValue());
            default -> out.writeNull(); // null, and the missing node
        }
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
        ObjectNode node = NODES.objectNode().put("type", typeName(body.getClass()));
        node.setAll((ObjectNode) Binding.write(body));
        return node;
    }

    /**
     * Reads a request's body as {@code type}; a mismatch is error 12, malformed request,
     * whose text begins with the message's type: nothing was done.
     */
    static <T> T request(ObjectNode body, Class<T> type) {
        try {
            return read(body, type);
        } catch (IllegalArgumentException e) {
            throw new RpcError(RpcError.MALFORMED_REQUEST, body.path("type").asText() + ": " + e.getMessage());
        }
    }

    /**
     * Reads (part of) a reply from {@code src} as {@code type}; a mismatch is error 13,
     * an indefinite failure: the peer did act on the request, whatever it answered.
     */
    static <T> T reply(JsonNode value, Class<T> type, String src) {
        try {
            return read(value, type);
        } catch (IllegalArgumentException e) {
            throw new RpcError(RpcError.CRASH, "the reply from " + src + " does not fit " + type.getSimpleName() + ": " + e.getMessage());
        }
    }

    private static <T> T read(JsonNode value, Class<T> type) {
        return type.isInstance(value) ? type.cast(value) : Binding.read(value, type);
    }
}
