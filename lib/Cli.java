package lib;

import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Starts a node script, a picocli {@code @Command} whose {@code @Option} fields keep their
 * defaults in their initialisers.
 *
 * <p>Maelstrom starts every node at once and gives each ten seconds to answer init, and
 * picocli costs each node about 0.2 s of CPU (its classes are too old a format for the
 * AOT cache to keep): 5 s of CPU for 25 nodes. So picocli runs only when it has work
 * only it can do. With no arguments, as Maelstrom usually starts a node, the script runs
 * on its defaults; with options of the plain form {@code --name value} or
 * {@code --name=value} naming {@code @Option} fields of type int, long, double or String,
 * those fields are set directly. Anything else (help, a short or unknown name, a value
 * that does not convert) goes to picocli, which reports it as usual.
 */
public final class Cli {

    private Cli() {
    }

    /** Runs {@code script} with {@code args}; exits with picocli's exit code when picocli parsed them. */
    public static void run(Runnable script, String... args) {
        if (args.length == 0 || setPlainOptions(script, args)) {
            script.run();
        } else {
            System.exit(new CommandLine(script).execute(args));
        }
    }

    /** Sets every option in {@code args} on {@code script} if all are plain; otherwise sets nothing. */
    private static boolean setPlainOptions(Object script, String[] args) {
        var fields = new HashMap<String, Field>();
        for (Field field : script.getClass().getDeclaredFields()) {
            Option option = field.getAnnotation(Option.class);
            if (option != null) {
                for (String name : option.names()) fields.put(name, field);
            }
        }
        var values = new LinkedHashMap<Field, Object>();
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
            Field field = fields.get(name);
            Object converted = field == null || !name.startsWith("--") ? null : convert(value, field.getType());
            if (converted == null) return false;
            values.put(field, converted);
        }
        try {
            for (Map.Entry<Field, Object> set : values.entrySet()) {
                set.getKey().setAccessible(true);
                set.getKey().set(script, set.getValue());
            }
        } catch (ReflectiveOperationException e) {
            return false;
        }
        return true;
    }

    /** {@code value} as a {@code type}, or null when it is not one (or the type is not plain). */
    private static Object convert(String value, Class<?> type) {
        try {
            if (type == int.class || type == Integer.class) return Integer.valueOf(value);
            if (type == long.class || type == Long.class) return Long.valueOf(value);
            if (type == double.class || type == Double.class) return Double.valueOf(value);
            if (type == String.class) return value;
        } catch (NumberFormatException e) {
            return null;
        }
        return null;
    }
}
