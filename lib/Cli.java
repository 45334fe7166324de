package lib;

import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;

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
 * picocli costs each node about 0.2 s of CPU (its classes are too old a format for the
 * AOT cache to keep): 5 s of CPU for 25 nodes. So picocli runs only when it has work
 * only it can do. With no arguments, as Maelstrom usually starts a node, the script runs
 * on its defaults; with long options naming {@code @Option} fields of type int, long,
 * double, String or an enum (its constant's name in any case: {@code fan-out=direct}),
 * those fields are set directly. Anything else (help, a short or
 * unknown name, a value that does not convert) goes to picocli, which reports it as usual.
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
            dashed[i] = maelstromForm(args[i]) ? "--" + args[i] : args[i];
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
        var fields = new HashMap<String, Field>();
        for (Field field : script.getClass().getDeclaredFields()) {
            Option option = field.getAnnotation(Option.class);
            if (option != null) {
                for (String name : option.names()) fields.put(name, field);
            }
        }
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
            Field field = fields.get(name);
            Object converted = field == null || !name.startsWith("--") ? null : convert(value, field.getType());
            if (converted == null) return false;
            values.put(field, converted);
            given.append(' ').append(name.substring(2)).append('=').append(converted);
        }
        try {
            for (Map.Entry<Field, Object> set : values.entrySet()) {
                set.getKey().setAccessible(true);
                set.getKey().set(script, set.getValue());
            }
        } catch (ReflectiveOperationException e) {
            return false;
        }
        Node.log("%s", given); // the node's log shows what reached it: Maelstrom passes some words, not others
        return true;
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
}
