package lib;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarFile;
import picocli.CommandLine;

/**
 * Starts a node script, a picocli {@code @Command} whose {@code @Option} fields keep their
 * defaults in their initialisers.
 *
 * <p>Options come as {@code --name value}, {@code --name=value}, or {@code name=value}:
 * Maelstrom takes every word of its command line that starts with a dash as its own, so
 * under Maelstrom the last form is the only one that reaches a node
 * ({@code --bin ./maelstrom.sh broadcast hub-batch=1000}). Each script's {@code --help}
 * says so.
 *
 * <p>Maelstrom starts every node at once and gives each ten seconds to answer init, and
 * picocli is costly at a start (its classes are too old a format for the AOT cache to
 * keep), 25 times over. So picocli runs only when it has work only it can do. With no
 * arguments, as Maelstrom usually starts a node, the script runs on its defaults; with
 * long options naming {@code @Option} fields of type int, long, double, String or an
 * enum (its constant's name in any case: {@code fan-out=direct}), those fields are set
 * directly. Anything else (help, a short or unknown name, a value that does not convert)
 * goes to picocli, which reports it as usual.
 *
 * <p>The training run that records a script's AOT cache passes no options, so what only
 * that direct path uses is not in the cache, and whatever makes the JVM generate classes
 * there is paid at each node's start: annotation proxies ({@code Field.getAnnotation}),
 * the first {@code Field.set}, lambdas, {@code +} on strings, {@code String.format}. The
 * path does without them: it reads the option names from the script's class file, sets
 * fields through {@code VarHandle}s, and stays in this class, which the cache holds
 * (docs/startup.md has the figures).
 */
public final class Cli {

    /** The scripts' version, which {@code --version} prints. */
    public static final String VERSION = "1.0";

    private Cli() {
    }

    /** Runs {@code script} with {@code args}; exits with picocli's exit code when picocli parsed them. */
    public static void run(Runnable script, String... args) {
        String[] dashed = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            dashed[i] = maelstromForm(args[i]) ? "--".concat(args[i]) : args[i];
        }
        if (dashed.length == 0 || setPlainOptions(script, dashed)) {
            script.run();
        } else {
            var cli = new CommandLine(script).setCaseInsensitiveEnumValuesAllowed(true);
            cli.getCommandSpec().version(VERSION);
            example(cli).ifPresent(example -> cli.getCommandSpec().usageMessage().footer(
                    "%nUnder Maelstrom, write options as name=value, without dashes, after the script's name:",
                    "  --bin ./maelstrom.sh " + cli.getCommandName() + " " + example,
                    "Maelstrom takes every word that starts with a dash as its own."));
            System.exit(cli.execute(dashed));
        }
    }

    /**
     * Whether {@code word} is an option in the form Maelstrom's command line lets through,
     * name=value with an ASCII name: the rule run.sh applies to split its words.
     */
    private static boolean maelstromForm(String word) {
        int equals = word.indexOf('=');
        if (equals <= 0 || !asciiLetter(word.charAt(0))) return false;
        for (int i = 1; i < equals; i++) {
            char c = word.charAt(i);
            if (c != '-' && !asciiLetter(c) && (c < '0' || c > '9')) return false;
        }
        return true;
    }

    private static boolean asciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** The script's first own option as name=value with its default; none when it has none. */
    private static Optional<String> example(CommandLine cli) {
        return cli.getCommandSpec().options().stream()
                .filter(o -> !o.usageHelp() && !o.versionHelp() && o.longestName().startsWith("--"))
                .map(o -> o.longestName().substring(2) + "=" + o.getValue())
                .findFirst();
    }

    /**
     * Sets every option in {@code args} on {@code script} if all are plain, and logs them;
     * otherwise sets nothing.
     */
    private static boolean setPlainOptions(Object script, String[] args) {
        Map<String, String> fields = optionFields(script.getClass());
        var values = new LinkedHashMap<Field, Object>();
        var given = new StringBuilder("options:");
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            String value;
            int equals = name.indexOf('=');
            if (equals > 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                return false;
            }
            Field field = declaredField(script.getClass(), fields.get(name));
            Object converted = field == null || !name.startsWith("--") ? null : convert(value, field.getType());
            if (converted == null) return false;
            values.put(field, converted);
            given.append(' ').append(name.substring(2)).append('=').append(converted);
        }
        try {
            var lookup = MethodHandles.privateLookupIn(script.getClass(), MethodHandles.lookup());
            for (Map.Entry<Field, Object> set : values.entrySet()) {
                setField(lookup.unreflectVarHandle(set.getKey()), script, set.getValue());
            }
        } catch (ReflectiveOperationException e) {
            return false;
        }
        Node.log(given.toString()); // the node's log shows what reached it: Maelstrom passes some words, not others
        return true;
    }

    /**
     * Sets a field through a {@code VarHandle} called with the field's own primitive type:
     * such a call links to the JDK's ready-made code, where {@code Field.set} generates
     * seven classes at its first use.
     */
    private static void setField(VarHandle field, Object script, Object value) {
        if (value instanceof Long l) field.set(script, (long) l);
        else if (value instanceof Integer i) field.set(script, (int) i);
        else if (value instanceof Double d) field.set(script, (double) d);
        else field.set(script, value);
    }

    /** {@code type}'s own field called {@code name}; null when there is none (or no name). */
    private static Field declaredField(Class<?> type, String name) {
        try {
            return name == null ? null : type.getDeclaredField(name);
        } catch (NoSuchFieldException e) {
            return null;
        }
    }

    /** {@code value} as a {@code type}, or null when it is not one (or the type is not plain). */
    private static Object convert(String value, Class<?> type) {
        try {
            if (type == int.class || type == Integer.class) return Integer.valueOf(value);
            if (type == long.class || type == Long.class) return Long.valueOf(value);
            if (type == double.class || type == Double.class) return Double.valueOf(value);
            if (type == String.class) return value;
            if (type.isEnum()) {
                for (Object constant : type.getEnumConstants()) {
                    if (((Enum<?>) constant).name().equalsIgnoreCase(value)) return constant;
                }
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return null;
    }
    /**
     * Each option name of {@code type}'s own {@code @Option} fields, mapped to its field's
     * name, read from the class file; empty when that cannot be read, and then the words go
     * to picocli, which reads the annotations itself. The file comes from the jar or folder
     * the class came from: a resource lookup by name would first search the JDK's modules.
     */
    private static Map<String, String> optionFields(Class<?> type) {
        String file = type.getName().replace('.', '/').concat(".class");
        try {
            Path from = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(from)) return optionFields(ByteBuffer.wrap(Files.readAllBytes(from.resolve(file))));
            try (var jar = new JarFile(from.toFile()); InputStream in = jar.getInputStream(jar.getEntry(file))) {
                return optionFields(ByteBuffer.wrap(in.readAllBytes()));
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return Map.of();
        }
    }

    /**
     * The option names in a class file: it walks the structures from the start of the file
     * to its fields' annotations (JVMS 4.1, 4.4, 4.5, 4.7.16) and skips the rest by length.
     */
    private static Map<String, String> optionFields(ByteBuffer file) throws IOException {
        if (file.getInt() != 0xCAFEBABE) throw new IOException("not a class file");
        skip(file, 4); // minor and major version
        String[] utf8 = utf8Constants(file);
        skip(file, 6); // access flags, this class, super class
        skip(file, 2 * u2(file)); // interfaces
        var names = new HashMap<String, String>();
        for (int fields = u2(file); fields > 0; fields--) {
            skip(file, 2); // access flags
            String field = utf8[u2(file)];
            skip(file, 2); // descriptor
            for (int attributes = u2(file); attributes > 0; attributes--) {
                String attribute = utf8[u2(file)];
                int length = file.getInt();
                if (!"RuntimeVisibleAnnotations".equals(attribute)) {
                    skip(file, length);
                    continue;
                }
                for (int annotations = u2(file); annotations > 0; annotations--) {
                    boolean option = "Lpicocli/CommandLine$Option;".equals(utf8[u2(file)]);
                    for (int pairs = u2(file); pairs > 0; pairs--) {
                        boolean optionNames = option && "names".equals(utf8[u2(file)]);
                        var strings = new ArrayList<String>();
                        elementValue(file, utf8, strings);
                        if (optionNames) for (String name : strings) names.put(name, field);
                    }
                }
            }
        }
        return names;
    }

    /**
     * The constant pool's UTF-8 entries by index, null at other entries. They are modified
     * UTF-8, which differs from UTF-8 only for NUL and characters outside the BMP: a name
     * with those comes out mangled, matches no word, and the words go to picocli.
     */
    private static String[] utf8Constants(ByteBuffer file) throws IOException {
        String[] utf8 = new String[u2(file)];
        for (int i = 1; i < utf8.length; i++) {
            switch (file.get()) {
                case 1 -> {
                    int length = u2(file);
                    utf8[i] = new String(file.array(), file.position(), length, StandardCharsets.UTF_8);
                    skip(file, length);
                }
                case 7, 8, 16, 19, 20 -> skip(file, 2); // class, string, method type, module, package
                case 15 -> skip(file, 3); // method handle
                case 3, 4, 9, 10, 11, 12, 17, 18 -> skip(file, 4);
                case 5, 6 -> { // a long or a double, which takes two entries
                    skip(file, 8);
                    i++;
                }
                default -> throw new IOException("unknown constant pool tag");
            }
        }
        return utf8;
    }

    /** Reads one annotation element value (JVMS 4.7.16.1), adding the strings in it to {@code strings}. */
    private static void elementValue(ByteBuffer file, String[] utf8, List<String> strings) throws IOException {
        switch (file.get()) {
            case 's' -> strings.add(utf8[u2(file)]);
            case 'B', 'C', 'D', 'F', 'I', 'J', 'S', 'Z', 'c' -> skip(file, 2);
            case 'e' -> skip(file, 4);
            case '@' -> {
                skip(file, 2);
                for (int pairs = u2(file); pairs > 0; pairs--) {
                    skip(file, 2);
                    elementValue(file, utf8, new ArrayList<>());
                }
            }
            case '[' -> {
                for (int values = u2(file); values > 0; values--) elementValue(file, utf8, strings);
            }
            default -> throw new IOException("unknown element value tag");
        }
    }

    private static int u2(ByteBuffer file) {
        return Short.toUnsignedInt(file.getShort());
    }

    private static void skip(ByteBuffer file, int bytes) {
        file.position(file.position() + bytes);
    }
}
