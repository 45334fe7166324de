package tests.support;

import bench.cli.TestCommand;
import bench.report.Results;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * Short bench runs of a node through maelstrom.sh for the end-to-end tests, made the one
 * way the tests drive the bench: its own command line, {@link TestCommand#run}, or
 * {@link TestCommand} as bench's command line executes it, for its exit code.
 */
public final class ShortRuns {

    /**
     * Maelstrom's defaults except for short times: three nodes, three seconds of load at 20
     * requests a second, a nemesis operation about every second, one second of quiet.
     */
    private static final List<String> SHORT = List.of("--node-count", "3", "--time-limit", "3", "--rate", "20",
            "--nemesis-interval", "1", "--quiet-period", "1", "--seed", "42");

    private ShortRuns() {
    }

    /**
     * Builds {@code script} (a workload name or a node script's path), then runs it under
     * {@code workload} with the short flags and then {@code flags}, which win; writes the
     * run's folder in a temporary store and prints the results on stderr. With a
     * {@code --test-count}, answers the last test's results.
     */
    public static Results run(String workload, String script, String... flags) throws Exception {
        return runAll(workload, script, flags).getLast();
    }

    /** As {@link #run}, answering every test's results, in order. */
    public static List<Results> runAll(String workload, String script, String... flags) throws Exception {
        Nodes.prepare(script);
        List<Results> tests = TestCommand.runAll(words(Files.createTempDirectory("bench-test"), workload, script, flags));
        tests.forEach(results -> results.print(System.err));
        return tests;
    }

    /**
     * As {@link #run}, in {@code store}, through bench's command line as {@code bench
     * test} executes it (results printed on stdout); answers its exit code.
     */
    public static int exitCode(Path store, String workload, String script, String... flags) throws Exception {
        Nodes.prepare(script);
        return new CommandLine(new TestCommand()).setOverwrittenOptionsAllowed(true)
                .execute(words(store, workload, script, flags));
    }

    private static String[] words(Path store, String workload, String script, String... flags) {
        var words = new ArrayList<>(List.of("-w", workload, "--bin", "maelstrom.sh", "--store", store.toString()));
        words.addAll(SHORT);
        words.addAll(List.of(flags));
        words.addAll(List.of("--", script));
        return words.toArray(String[]::new);
    }
}
