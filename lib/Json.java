package lib;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;

/**
 * How messages map to JSON: whole lines to trees, with a strict parser of our own and
 * jackson-core's streaming generator, and bodies to Java records through {@link Binding}, with field names
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

    /**
     * Parses one line holding exactly one JSON value: strict JSON, refused and accepted
     * as jackson-core's parser does with its default features and read constraints, into
     * the same tree. Not with that parser itself, because its base class initialises
     * BigDecimal, whose static initialiser squares BigIntegers up to 5^65536: CPU that
     * every node would spend at its start, while Maelstrom starts them all at once.
     */
    static JsonNode parse(String line) throws JsonProcessingException {
        return new LineParser(line).document();
    }

    /** Reads one JSON text from a string, by recursive descent: one method a production of RFC 8259. */
    private static final class LineParser {
        private static final StreamReadConstraints LIMITS = StreamReadConstraints.defaults();

        private final String text;
        private int at; // the next char to read

        LineParser(String text) {
            this.text = text;
        }

        JsonNode document() throws JsonParseException {
            if (skipSpace() < 0) throw refusal("no JSON value");
            JsonNode value = value(0);
            if (skipSpace() >= 0) throw refusal("more than one JSON value, or something after it");
            return value;
        }

        /** Skips JSON's four whitespace chars; returns the next char, or -1 at the end. */
        private int skipSpace() {
            for (; at < text.length(); at++) {
                char c = text.charAt(at);
                if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return c;
            }
            return -1;
        }

        /** The value at the next char, which is not whitespace; {@code depth} counts the containers around it. */
        private JsonNode value(int depth) throws JsonParseException {
            char c = text.charAt(at);
            return switch (c) {
                case '{' -> object(depth + 1);
                case '[' -> array(depth + 1);
                case '"' -> NODES.textNode(string(LIMITS.getMaxStringLength()));
                case 't' -> literal("true", NODES.booleanNode(true));
                case 'f' -> literal("false", NODES.booleanNode(false));
                case 'n' -> literal("null", NODES.nullNode());
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) yield number();
                    throw refusal("unexpected character '" + c + "'");
                }
            };
        }

        private ObjectNode object(int depth) throws JsonParseException {
            nest(depth);
            ObjectNode object = NODES.objectNode();
            at++; // the '{'
            int next = skipSpace();
            if (next == '}') {
                at++;
                return object;
            }
            while (true) {
                if (next != '"') throw refusal("expected a field name in double quotes");
                String name = string(LIMITS.getMaxNameLength());
                if (skipSpace() != ':') throw refusal("expected ':' after a field name");
                at++;
                if (skipSpace() < 0) throw refusal("expected a value");
                object.set(name, value(depth)); // a repeated name: the last value counts
                next = skipSpace();
                at++;
                if (next == '}') return object;
                if (next != ',') throw refusal("expected ',' or '}' in an object");
                next = skipSpace();
            }
        }

        private ArrayNode array(int depth) throws JsonParseException {
            nest(depth);
            ArrayNode array = NODES.arrayNode();
            at++; // the '['
            if (skipSpace() == ']') {
                at++;
                return array;
            }
            while (true) {
                if (skipSpace() < 0) throw refusal("expected a value");
                array.add(value(depth));
                int next = skipSpace();
                at++;
                if (next == ']') return array;
                if (next != ',') throw refusal("expected ',' or ']' in an array");
            }
        }

        private void nest(int depth) throws JsonParseException {
            if (depth > LIMITS.getMaxNestingDepth()) {
                throw refusal("deeper than " + LIMITS.getMaxNestingDepth() + " containers");
            }
        }

        /** A literal; the char after it may not continue a word, as in {@code truex}. */
        private JsonNode literal(String word, JsonNode value) throws JsonParseException {
            if (!text.startsWith(word, at)) throw refusal("unrecognised token, expected '" + word + "'");
            at += word.length();
            if (at < text.length() && Character.isJavaIdentifierPart(text.charAt(at))) {
                throw refusal("unrecognised token, expected '" + word + "'");
            }
            return value;
        }

        /** A string from its opening quote; longer than {@code limit} chars is refused. */
        private String string(int limit) throws JsonParseException {
            int start = ++at;
            StringBuilder escaped = null; // only for a string with escapes
            while (true) {
                if (at >= text.length()) throw refusal("unterminated string");
                char c = text.charAt(at);
                if (c == '"') break;
                if (c < 0x20) throw refusal("unescaped control character in a string");
                if (c == '\\') {
                    if (escaped == null) escaped = new StringBuilder();
                    escaped.append(text, start, at);
                    escaped.append(escape());
                    start = at;
                } else {
                    at++;
                }
            }
            String value = escaped == null ? text.substring(start, at) : escaped.append(text, start, at).toString();
            at++; // the closing quote
            if (value.length() > limit) throw refusal("a string longer than " + limit + " chars");
            return value;
        }

        /** The char an escape stands for, from its backslash. */
        private char escape() throws JsonParseException {
            if (at + 1 >= text.length()) throw refusal("unterminated string");
            char c = text.charAt(at + 1);
            at += 2;
            return switch (c) {
                case '"', '\\', '/' -> c;
                case 'b' -> '\b';
                case 'f' -> '\f';
                case 'n' -> '\n';
                case 'r' -> '\r';
                case 't' -> '\t';
                case 'u' -> {
                    if (at + 4 > text.length()) throw refusal("unterminated string");
                    int code = 0;
                    for (int end = at + 4; at < end; at++) {
                        char h = text.charAt(at);
                        int digit = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10
                                : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
                        if (digit < 0) throw refusal("expected a hex digit in a \\u escape");
                        code = code * 16 + digit;
                    }
                    yield (char) code;
                }
                default -> throw refusal("unrecognised escape '\\" + c + "'");
            };
        }

        /**
         * A number: an int where it fits, else a long, else a BigInteger; with a fraction
         * or an exponent, a double.
         */
        private JsonNode number() throws JsonParseException {
            int start = at;
            if (text.charAt(at) == '-') at++;
            int intDigits = digits();
            if (intDigits == 0) throw refusal("expected a digit");
            if (intDigits > 1 && text.charAt(at - intDigits) == '0') throw refusal("leading zeroes are not allowed");
            int otherDigits = 0;
            boolean integral = true;
            if (at < text.length() && text.charAt(at) == '.') {
                at++;
                integral = false;
                int fraction = digits();
                if (fraction == 0) throw refusal("expected a digit after the decimal point");
                otherDigits += fraction;
            }
            if (at < text.length() && (text.charAt(at) == 'e' || text.charAt(at) == 'E')) {
                at++;
                integral = false;
                if (at < text.length() && (text.charAt(at) == '+' || text.charAt(at) == '-')) at++;
                int exponent = digits();
                if (exponent == 0) throw refusal("expected a digit in the exponent");
                otherDigits += exponent;
            }
            if (intDigits + otherDigits > LIMITS.getMaxNumberLength()) {
                throw refusal("a number longer than " + LIMITS.getMaxNumberLength() + " digits");
            }
            String number = text.substring(start, at);
            if (!integral) return NODES.numberNode(Double.parseDouble(number));
            if (intDigits > 18) { // a long holds every 18-digit number, and some of 19
                var big = new BigInteger(number);
                return big.bitLength() < Long.SIZE ? NODES.numberNode(big.longValue()) : NODES.numberNode(big);
            }
            long value = Long.parseLong(number);
            return value == (int) value ? NODES.numberNode((int) value) : NODES.numberNode(value);
        }

        /** Skips ASCII digits; returns how many. */
        private int digits() {
            int start = at;
            while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') at++;
            return at - start;
        }

        private JsonParseException refusal(String why) {
            return new JsonParseException(null, why + " at char " + at);
        }
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
