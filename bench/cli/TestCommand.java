package bench.cli;

import bench.Options;
import bench.Runner;
import bench.report.Results;
import bench.report.Verdict;
import bench.workload.Workload;
import bench.workload.Workloads;
import bench.workload.broadcast.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * One test run: {@code bench test} with Maelstrom's flags, or a part's preset with
 * {@code --challenge}, whose flags are defaults that flags given explicitly override.
 * bench.java registers it as a subcommand; tests and {@code sweep} run it through
 * {@link #run(String...)}, so that a command line means the same everywhere.
 */
@Command(name = "test", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = TestCommand.USAGE,
        description = "Runs one test. Words after the flags are passed to the --bin program.")
public final class TestCommand implements Callable<Integer> {

    /** Exit code for a command line the bench cannot run. */
    public static final int USAGE = 254;

    @Option(names = {"-w", "--workload"}, description = "Workload: ${COMPLETION-CANDIDATES}",
            completionCandidates = WorkloadNames.class)
    String workload;
    @Option(names = "--bin", description = "The program that runs one node.")
    String bin;
    @Option(names = "--node-count", defaultValue = "5", description = "Number of nodes (default ${DEFAULT-VALUE}).")
    int nodeCount;
    @Option(names = "--time-limit", defaultValue = "60", description = "Seconds of the main phase (default ${DEFAULT-VALUE}).")
    double timeLimit;
    @Option(names = "--rate", defaultValue = "5", description = "Requests per second over all clients (default ${DEFAULT-VALUE}).")
    double rate;
    @Option(names = "--latency", defaultValue = "0", description = "Mean latency in ms of messages not involving a client.")
    long latency;
    @Option(names = "--latency-dist", defaultValue = "constant", description = "constant, uniform or exponential.")
    String latencyDist;
    @Option(names = "--topology", defaultValue = "grid", description = "Broadcast topology: grid, line, total, tree2, tree3, tree4.")
    String topology;
    @Option(names = "--nemesis", defaultValue = "", description = "Faults, comma-separated: partition, kill, pause.")
    String nemesis;
    @Option(names = "--nemesis-interval", defaultValue = "10", description = "Mean seconds between nemesis operations.")
    double nemesisInterval;
    @Option(names = "--concurrency", defaultValue = "1n", description = "Client threads: a count, or a multiple of the node count like 2n.")
    String concurrency;
    @Option(names = "--availability", description = "total, or the minimum fraction of requests that must succeed.")
    String availability;
    @Option(names = "--quiet-period", defaultValue = "10", description = "Seconds between healing and the final requests (default ${DEFAULT-VALUE}, as Maelstrom).")
    double quietPeriod;
    @Option(names = "--seed", description = "Seed for operations, latencies and partitions; random when omitted.")
    Long seed;
    @Option(names = "--store", defaultValue = "store", description = "Folder for run folders (default ${DEFAULT-VALUE}).")
    Path store;
    @Option(names = "--challenge", completionCandidates = Challenges.PartNames.class,
            description = "A part (${COMPLETION-CANDIDATES}): its official flags, judged on its criteria.")
    String challenge;
    @Option(names = "--consistency-models", defaultValue = "strict-serializable", description = "For txn workloads, comma-separated.")
    String consistencyModels;
    @Option(names = "--max-txn-length", defaultValue = "4", description = "For txn workloads.")
    int maxTxnLength;
    @Option(names = "--max-writes-per-key", defaultValue = "16", description = "For txn and kafka workloads.")
    int maxWritesPerKey;
    @Option(names = "--key-count", description = "For workloads with keys.")
    Integer keyCount;
    @Option(names = "--log-stderr", description = "Also print the nodes' stderr on the terminal.")
    boolean logStderr;
    @Parameters(description = "Arguments for the --bin program.")
    List<String> args = new ArrayList<>();
    @Spec
    CommandSpec spec;

    /** Completion candidates for --workload. */
    static final class WorkloadNames extends ArrayList<String> {
        WorkloadNames() {
            super(Workloads.names());
        }
    }

    /**
     * Runs one test from the words that follow {@code bench test}, presets expanded and
     * options given twice allowed (the later wins), as on bench's command line; writes
     * the run's folder and prints its progress on stderr, but not its results.
     *
     * @throws IllegalArgumentException when the command line cannot be run, saying why
     * @throws IOException              when the run's folder cannot be written
     */
    public static Results run(String... args) throws IOException {
        return run(UnaryOperator.identity(), args);
    }

    /**
     * As {@link #run(String...)}, with the workload the options name handed through
     * {@code wrap} first: a test can watch the operations or add a final phase.
     */
    public static Results run(UnaryOperator<Workload> wrap, String... args) throws IOException {
        TestCommand test = parsed(args);
        Planned planned = test.plan();
        return test.launch(planned.options(), wrap.apply(planned.workload()));
    }

    /**
     * The options the words after {@code bench test} name, validated, without running
     * anything: what a run of them would be configured with.
     *
     * @throws IllegalArgumentException when the command line cannot be run, saying why
     */
    public static Options parse(String... args) {
        return parsed(args).options();
    }

    /** The command with {@code args} parsed as bench's command line parses them. */
    private static TestCommand parsed(String... args) {
        var test = new TestCommand();
        try {
            new CommandLine(test).setOverwrittenOptionsAllowed(true).parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return test;
    }

    @Override
    public Integer call() {
        Planned planned;
        try {
            planned = plan();
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            return USAGE;
        }
        Results results;
        try {
            results = launch(planned.options(), planned.workload());
        } catch (IOException e) {
            System.err.println("bench: cannot write the run's folder: " + e.getMessage());
            return USAGE;
        }
        results.print(System.out);
        Challenges.Challenge preset = challenge == null ? null : Challenges.get(challenge);
        if (preset == null) {
            return results.exitCode();
        }
        boolean all = true;
        System.out.printf("%nChallenge %s:%n", preset.part());
        for (Challenges.Criterion c : preset.criteria()) {
            Double v = c.value(results);
            String measured = v == null ? "nothing" : Challenges.Criterion.shown(v);
            String skipped = preset.whyNotJudged(c, results.options());
            if (skipped != null) {
                System.out.printf("  %-4s %-34s measured %s, not judged: %s%n", "SKIP", c.name(), measured, skipped);
                continue;
            }
            boolean pass = c.pass(results);
            all &= pass;
            System.out.printf("  %-4s %-34s measured %s%n", pass ? "PASS" : "FAIL", c.name(), measured);
        }
        return all ? 0 : results.validity() == Verdict.Validity.UNKNOWN ? 2 : 1;
    }

    /** A run's validated options and the workload they name. */
    private record Planned(Options options, Workload workload) {
    }

    /** Validates the command line; throws IllegalArgumentException, saying why, when it cannot run. */
    private Planned plan() {
        Options options = options();
        return new Planned(options, Workloads.create(options));
    }

    /** Runs the test and writes its results; store/latest then points at them. */
    private Results launch(Options options, Workload workload) throws IOException {
        System.err.printf("[bench] seed %d; results in %s%n", options.seed(), options.runDir());
        Results results = Runner.run(options, workload, System.err, logStderr);
        results.write();
        linkLatest(options.runDir());
        return results;
    }

    /**
     * Takes a part's preset as defaults: its flags for every option this command line did
     * not give, its workload when no -w came, and {@code ./maelstrom.sh SCRIPT} in front
     * of the node's words when no --bin came.
     */
    private void applyPreset(Challenges.Challenge preset) {
        ParseResult given = spec.commandLine().getParseResult();
        ParseResult flags = new CommandLine(new TestCommand()).parseArgs(preset.flags().toArray(String[]::new));
        for (OptionSpec option : flags.matchedOptions()) {
            if (!given.hasMatchedOption(option.longestName())) {
                spec.findOption(option.longestName()).setValue(option.getValue());
            }
        }
        if (workload == null) {
            workload = preset.workload();
        }
        if (bin == null) {
            bin = "./maelstrom.sh";
            args.addFirst(preset.script());
        }
    }

    private Options options() {
        if (challenge != null) {
            applyPreset(Challenges.require(challenge));
        }
        if (workload == null || bin == null) {
            throw new IllegalArgumentException("needs -w WORKLOAD and --bin PROGRAM (or --challenge PART)");
        }
        if (!Workloads.exists(workload)) {
            throw new IllegalArgumentException("unknown workload " + workload + "; one of " + Workloads.names());
        }
        if (nodeCount <= 0 || timeLimit < 0 || rate < 0 || latency < 0 || nemesisInterval <= 0 || quietPeriod < 0) {
            throw new IllegalArgumentException("counts, times and rates must not be negative");
        }
        if (!Topology.NAMES.contains(topology)) {
            throw new IllegalArgumentException("unknown topology " + topology + "; one of " + Topology.NAMES);
        }
        Set<Options.Fault> faults = Options.Fault.parse(nemesis);
        if (availability != null && !availability.equals("total")) {
            try {
                double a = Double.parseDouble(availability);
                if (a < 0 || a > 1) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--availability must be total or a number from 0 to 1");
            }
        }
        Options.LatencyDist dist;
        try {
            dist = Options.LatencyDist.valueOf(latencyDist.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--latency-dist must be constant, uniform or exponential");
        }
        Path program;
        try {
            program = Path.of(bin).toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("--bin " + bin + " does not exist");
        }
        if (!Files.isExecutable(program)) {
            throw new IllegalArgumentException("--bin " + program + " is not executable");
        }
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS"));
        Path runDir = store.resolve(workload).resolve(stamp).toAbsolutePath();
        return new Options(workload, new Options.Program(program, List.copyOf(args)),
                new Options.Cluster(nodeCount, latency, dist),
                new Options.Load(timeLimit, rate, Options.parseConcurrency(concurrency, nodeCount), quietPeriod,
                        availability),
                new Options.Faults(faults, nemesisInterval),
                new Options.WorkloadParams(topology, Arrays.stream(consistencyModels.split("\\s*,\\s*")).toList(),
                        maxTxnLength, maxWritesPerKey, keyCount),
                seed != null ? seed : ThreadLocalRandom.current().nextLong(), runDir);
    }

    /** Points store/latest at the newest run, as Maelstrom does; a convenience only. */
    private void linkLatest(Path runDir) {
        Path latest = store.resolve("latest");
        try {
            Files.deleteIfExists(latest);
            Files.createSymbolicLink(latest, latest.toAbsolutePath().getParent().relativize(runDir));
        } catch (IOException | UnsupportedOperationException e) {
            System.err.println("[bench] could not link " + latest + ": " + e.getMessage());
        }
    }
}
