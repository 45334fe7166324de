package tests.bench;

import bench.Options;
import bench.Runner;
import bench.report.Results;
import bench.workload.Workloads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tests.support.Nodes;

/**
 * A short bench run against a real node program through the repository's
 * maelstrom.sh, for the end-to-end tests. Defaults are Maelstrom's except for short
 * times: a few seconds of load and one second of quiet.
 */
final class BenchRun {

    String workload;
    String script;
    int nodeCount = 3;
    double timeLimit = 3;
    double rate = 20;
    long latency;
    boolean partition;
    double nemesisInterval = 1;
    String concurrency = "1n";
    String availability;
    double quietPeriod = 1;
    long seed = 42;

    BenchRun(String workload, String script) {
        this.workload = workload;
        this.script = script;
    }

    /** Whether the node script exists yet (solutions land separately from the bench). */
    boolean scriptExists() {
        return Files.exists(Path.of(script)) || Files.exists(Path.of(script + ".java"));
    }

    Results run() throws IOException, InterruptedException {
        Nodes.prepare(script);
        Path store = Files.createTempDirectory("bench-test");
        var options = new Options(workload, Path.of("maelstrom.sh").toRealPath(), List.of(script), nodeCount, timeLimit,
                rate, latency, Options.LatencyDist.CONSTANT, "grid", partition, nemesisInterval,
                Options.parseConcurrency(concurrency, nodeCount), availability, quietPeriod, seed, store.resolve("run"),
                List.of("strict-serializable"), 4, 16, null);
        Results results = Runner.run(options, Workloads.create(options), System.err);
        results.write();
        results.print(System.err);
        return results;
    }
}
