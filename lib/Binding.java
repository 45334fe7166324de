package lib;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.annotation.Annotation;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Binds Java values to JSON trees, for message bodies: records by their components,
 * named in snake_case, and inside them {@code String}, {@code int}, {@code long},
 * {@code double}, {@code boolean} (and their boxes), {@code List}, {@code Set},
 * {@code Map} with String keys, arrays, other records, and {@link JsonNode}, which
 * is taken as it is. {@code Object}, and the elements of a raw {@code List} or
 * {@code Map}, read as plain Java values: Integer or Long, Double, String, Boolean,
 * List, Map or null. A type that declares a static {@link JsonCreator} factory of one
 * argument reads through it; one that declares a {@link JsonValue} method writes what
 * that returns.
 *
 * <p>Why not Jackson's ObjectMapper: its binding is built by introspection on first
 * use of each type and runs a deep generic path per value. Maelstrom starts every node
 * at once on the same cores, so each node's first messages paid tens of milliseconds
 * of CPU for it, all at the same moment, and the first values of a test waited
 * hundreds of milliseconds for the cores. This binding is reflection prepared once per
 * type, when a handler is registered, and a few calls per field after that.
 *
 * <p>Reading is strict: a missing component, a wrong JSON type, a number out of range
 * or a null fails with an {@link IllegalArgumentException} naming the field. A null is
 * read only into a {@code JsonNode} (as NullNode), an {@code Object}, and a record
 * component of a boxed type ({@code Long maybe}), which is how a record marks a field
 * that may be null. Unknown fields are ignored.
 */
final class Binding {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** The types of the record components a JSON null may fill: it reads as null there. */
    private static final Set<Class<?>> BOXES = Set.of(Long.class, Integer.class, Double.class, Boolean.class);

    /** Reads a JSON value as one Java type. */
    @FunctionalInterface
    private interface Reader {
        Object read(JsonNode json);
    }

    private static final ClassValue<Reader> READERS = new ClassValue<>() {
        @Override
        protected Reader computeValue(Class<?> type) {
            return readerOf(type);
        }
    };

    private static final ClassValue<Function<Object, JsonNode>> WRITERS = new ClassValue<>() {
        @Override
        protected Function<Object, JsonNode> computeValue(Class<?> type) {
            return writerOf(type);
        }
    };

    private Binding() {
    }

    /**
     * Prepares the reading of {@code type}, so that a type this binding cannot read
     * fails now, at registration, not at its first message.
     */
    static void check(Class<?> type) {
        READERS.get(type);
    }

    /** Reads {@code json} as {@code type}; throws IllegalArgumentException naming what did not fit. */
    static <T> T read(JsonNode json, Class<T> type) {
        @SuppressWarnings("unchecked") // the reader of a class yields that class or its box
        T value = (T) READERS.get(type).read(json);
        return value;
    }

    /** The JSON tree of {@code value}, by its class at run time. */
    static JsonNode write(Object value) {
        return value == null ? NullNode.getInstance() : WRITERS.get(value.getClass()).apply(value);
    }

    private static Reader readerOf(Type type) {
        if (type instanceof ParameterizedType generic) return genericReaderOf(generic);
        if (!(type instanceof Class<?> c)) throw new IllegalArgumentException("cannot read " + type);
        if (c == JsonNode.class) return json -> json;
        if (c == Object.class) return Binding::plain;
        if (JsonNode.class.isAssignableFrom(c)) return json -> {
            if (!c.isInstance(json)) throw mismatch("a JSON " + c.getSimpleName(), json);
            return json;
        };
        if (c == String.class) return json -> {
            if (!json.isTextual()) throw mismatch("a string", json);
            return json.textValue();
        };
        if (c == long.class || c == Long.class) return refusingNull("long", json -> {
            if (!json.isIntegralNumber() || !json.canConvertToLong()) throw mismatch("a 64-bit integer", json);
            return json.longValue();
        });
        if (c == int.class || c == Integer.class) return refusingNull("int", json -> {
            if (!json.isIntegralNumber() || !json.canConvertToInt()) throw mismatch("a 32-bit integer", json);
            return json.intValue();
        });
        if (c == double.class || c == Double.class) return refusingNull("double", json -> {
            if (!json.isNumber()) throw mismatch("a number", json);
            return json.doubleValue();
        });
        if (c == boolean.class || c == Boolean.class) return refusingNull("boolean", json -> {
            if (!json.isBoolean()) throw mismatch("true or false", json);
            return json.booleanValue();
        });
        if (c.isArray()) return arrayReaderOf(c.getComponentType());
        if (c == List.class || c == Collection.class || c == Iterable.class || c == Set.class) {
            return containerReaderOf(c, new Type[] {Object.class}, c);
        }
        if (c == Map.class) return containerReaderOf(c, new Type[] {String.class, Object.class}, c);
        Method creator = annotated(c, JsonCreator.class, 1);
        if (creator != null) return creatorReaderOf(creator);
        if (c.isRecord()) return recordReaderOf(c);
        throw new IllegalArgumentException("cannot read " + c.getName()
                + ": a body holds records, strings, numbers, booleans, lists, sets, maps, arrays and JsonNode");
    }

    private static Reader genericReaderOf(ParameterizedType type) {
        return containerReaderOf((Class<?>) type.getRawType(), type.getActualTypeArguments(), type);
    }

    /** Reads a list, set or map whose parameters are {@code args}; {@code type} is for the error. */
    private static Reader containerReaderOf(Class<?> raw, Type[] args, Type type) {
        if (raw == List.class || raw == Collection.class || raw == Iterable.class) {
            Reader element = readerOf(args[0]);
            return json -> Collections.unmodifiableList(elements(json, element, new ArrayList<>()));
        }
        if (raw == Set.class) {
            Reader element = readerOf(args[0]);
            return json -> Collections.unmodifiableSet(elements(json, element, new LinkedHashSet<>()));
        }
        if (raw == Map.class && args[0] == String.class) {
            Reader value = readerOf(args[1]);
            return json -> {
                if (!json.isObject()) throw mismatch("an object", json);
                var map = new LinkedHashMap<String, Object>();
                for (var field : json.properties()) map.put(field.getKey(), within(field.getKey(), value, field.getValue()));
                return Collections.unmodifiableMap(map);
            };
        }
        throw new IllegalArgumentException("cannot read " + type + ": lists, sets and maps with string keys only");
    }

    /** A JSON value as plain Java: Integer or Long, Double, String, Boolean, List, Map or null. */
    private static Object plain(JsonNode json) {
        return switch (json.getNodeType()) {
            case NUMBER -> json.numberValue(); // Integer, Long, BigInteger or Double, as it was parsed
            case STRING -> json.textValue();
            case BOOLEAN -> json.booleanValue();
            case ARRAY -> {
                var list = new ArrayList<Object>(json.size());
                json.forEach(element -> list.add(plain(element)));
                yield Collections.unmodifiableList(list);
            }
            case OBJECT -> {
                var map = new LinkedHashMap<String, Object>();
                json.properties().forEach(field -> map.put(field.getKey(), plain(field.getValue())));
                yield Collections.unmodifiableMap(map);
            }
            default -> null;
        };
    }

    private static <C extends Collection<Object>> C elements(JsonNode json, Reader element, C into) {
        if (!json.isArray()) throw mismatch("an array", json);
        for (int i = 0; i < json.size(); i++) into.add(within("[" + i + "]", element, json.get(i)));
        return into;
    }

    private static Reader arrayReaderOf(Class<?> componentType) {
        Reader element = readerOf(componentType);
        return json -> {
            if (!json.isArray()) throw mismatch("an array", json);
            Object array = Array.newInstance(componentType, json.size());
            for (int i = 0; i < json.size(); i++) Array.set(array, i, within("[" + i + "]", element, json.get(i)));
            return array;
        };
    }

    private static Reader creatorReaderOf(Method creator) {
        Reader argument = readerOf(creator.getGenericParameterTypes()[0]);
        return json -> invoke(creator, null, argument.read(json));
    }

    private static Reader recordReaderOf(Class<?> type) {
        RecordComponent[] components = type.getRecordComponents();
        String[] names = new String[components.length];
        Reader[] readers = new Reader[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            names[i] = snakeCase(components[i].getName());
            types[i] = components[i].getType();
            Reader reader = readerOf(components[i].getGenericType());
            readers[i] = BOXES.contains(types[i]) ? json -> json.isNull() ? null : reader.read(json) : reader;
        }
        Constructor<?> canonical;
        try {
            canonical = type.getDeclaredConstructor(types);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("a record without its canonical constructor: " + type, e);
        }
        canonical.setAccessible(true);
        return json -> {
            if (!json.isObject()) throw mismatch("an object", json);
            Object[] values = new Object[names.length];
            for (int i = 0; i < names.length; i++) {
                JsonNode field = json.get(names[i]);
                if (field == null) throw new Mismatch("missing").at(names[i]);
                values[i] = within(names[i], readers[i], field);
            }
            try {
                return canonical.newInstance(values);
            } catch (InvocationTargetException e) { // the record's own checks refused the values
                if (e.getCause() instanceof IllegalArgumentException refused) throw new Mismatch(refused.getMessage());
                if (e.getCause() instanceof RuntimeException cause) throw cause;
                throw new IllegalStateException(e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    /** Reads a part of a value; if it does not fit, the error names the part. */
    private static Object within(String part, Reader reader, JsonNode json) {
        try {
            return reader.read(json);
        } catch (Mismatch e) {
            throw e.at(part);
        } catch (IllegalArgumentException e) { // from a JsonCreator
            throw new Mismatch(e.getMessage()).at(part);
        }
    }

    /** A value that does not fit its type, and where it is: its path, outermost part first. */
    private static final class Mismatch extends IllegalArgumentException {
        private final Deque<String> path = new ArrayDeque<>();

        Mismatch(String why) {
            super(why);
        }

        /** This mismatch, found inside {@code part} (a field name, or an index as {@code [2]}). */
        Mismatch at(String part) {
            path.addFirst(part);
            return this;
        }

        @Override
        public String getMessage() {
            if (path.isEmpty()) return super.getMessage();
            var where = new StringBuilder();
            for (String part : path) where.append(part.startsWith("[") || where.isEmpty() ? "" : ".").append(part);
            return "field '" + where + "': " + super.getMessage();
        }
    }

    /** Fails on a JSON null with the name of the primitive expected. */
    private static Reader refusingNull(String primitive, Reader reader) {
        return json -> {
            if (json.isNull()) throw new Mismatch("expected a " + primitive + ", got null");
            return reader.read(json);
        };
    }

    private static Mismatch mismatch(String expected, JsonNode json) {
        String shown = json.toString();
        if (shown.length() > 40) shown = shown.substring(0, 37) + "...";
        return new Mismatch("expected " + expected + ", got " + shown);
    }

    private static Function<Object, JsonNode> writerOf(Class<?> type) {
        if (JsonNode.class.isAssignableFrom(type)) return value -> (JsonNode) value;
        if (type == String.class) return value -> NODES.textNode((String) value);
        if (type == Long.class || type == Integer.class || type == Short.class || type == Byte.class) {
            return value -> NODES.numberNode(((Number) value).longValue());
        }
        if (type == Double.class || type == Float.class) return value -> NODES.numberNode(((Number) value).doubleValue());
        if (type == Boolean.class) return value -> NODES.booleanNode((Boolean) value);
        if (type.isArray()) return value -> {
            ArrayNode array = NODES.arrayNode();
            for (int i = 0, n = Array.getLength(value); i < n; i++) array.add(write(Array.get(value, i)));
            return array;
        };
        if (Collection.class.isAssignableFrom(type)) return value -> {
            ArrayNode array = NODES.arrayNode();
            for (Object element : (Collection<?>) value) array.add(write(element));
            return array;
        };
        if (Map.class.isAssignableFrom(type)) return value -> {
            ObjectNode object = NODES.objectNode();
            ((Map<?, ?>) value).forEach((k, v) -> object.set(String.valueOf(k), write(v)));
            return object;
        };
        Method jsonValue = annotated(type, JsonValue.class, 0);
        if (jsonValue != null) return value -> write(invoke(jsonValue, value));
        if (type.isRecord()) return recordWriterOf(type);
        throw new IllegalArgumentException("cannot write a " + type.getName());
    }

    private static Function<Object, JsonNode> recordWriterOf(Class<?> type) {
        RecordComponent[] components = type.getRecordComponents();
        String[] names = new String[components.length];
        Method[] accessors = new Method[components.length];
        for (int i = 0; i < components.length; i++) {
            names[i] = snakeCase(components[i].getName());
            accessors[i] = components[i].getAccessor();
            accessors[i].setAccessible(true);
        }
        return value -> {
            ObjectNode object = NODES.objectNode();
            for (int i = 0; i < names.length; i++) object.set(names[i], write(invoke(accessors[i], value)));
            return object;
        };
    }

    /**
     * The method {@code type} declares with {@code annotation} and that many parameters:
     * a static factory for {@link JsonCreator}, an instance method for {@link JsonValue}.
     */
    private static Method annotated(Class<?> type, Class<? extends Annotation> annotation, int parameters) {
        for (Method method : type.getDeclaredMethods()) {
            if (method.isAnnotationPresent(annotation) && method.getParameterCount() == parameters
                    && Modifier.isStatic(method.getModifiers()) == (annotation == JsonCreator.class)) {
                method.setAccessible(true);
                return method;
            }
        }
        return null;
    }

    private static Object invoke(Method method, Object target, Object... args) {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException cause) throw cause;
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code inReplyTo} is {@code in_reply_to}. */
    static String snakeCase(String name) {
        var snake = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c) && i > 0) snake.append('_');
            snake.append(Character.toLowerCase(c));
        }
        return snake.toString();
    }
}
