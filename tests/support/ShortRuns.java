package tests.support;

import bench.cli.TestCommand;
import bench.report.Results;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * Short bench runs of a node through maelstrom.sh for the end-to-end tests, made the one
 * way the tests drive the bench: its own command line, {@link TestCommand#run}.
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
     * run's folder in a temporary store and prints the results on stderr.
     */
    public static Results run(String workload, String script, String... flags) throws Exception {
        Nodes.prepare(script);
        var words = new ArrayList<>(List.of("-w", workload, "--bin", "maelstrom.sh",
                "--store", Files.createTempDirectory("bench-test").toString()));
        words.addAll(SHORT);
        words.addAll(List.of(flags));
        words.addAll(List.of("--", script));
        Results results = TestCommand.run(words.toArray(String[]::new));
        results.print(System.err);
        return results;
    }
}
