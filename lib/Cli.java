package lib;

import picocli.CommandLine;

/**
 * Starts a node script. With no arguments, as Maelstrom usually starts a node, the
 * script runs with its options' defaults and picocli is never loaded: parsing costs
 * tens of milliseconds of start-up on every node, and Maelstrom gives each node's init
 * only ten seconds while it starts all of them at once.
 */
public final class Cli {

    private Cli() {
    }

    /**
     * Runs {@code script}, a picocli {@code @Command}, with {@code args}; exits with
     * picocli's exit code when there were arguments to parse.
     */
    public static void run(Runnable script, String... args) {
        if (args.length == 0) {
            script.run();
        } else {
            System.exit(new CommandLine(script).execute(args));
        }
    }
}
