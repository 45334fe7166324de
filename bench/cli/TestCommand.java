package bench.cli;

import bench.Options;
import bench.Runner;
import bench.net.Network;
import bench.net.Spawner;
import bench.report.Results;
import bench.report.Verdict;
import bench.service.Services;
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
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code bench test} with Maelstrom's flags, or a part's preset with {@code --challenge},
 * whose flags are defaults that flags given explicitly override. As Maelstrom (Jepsen's
 * {@code single-test-cmd}), it runs {@code --test-count} tests one after another, each
 * with fresh services, fresh node processes and a folder of its own, and stops at the
 * first that is not valid; every node of every test is started by one {@link Spawner},
 * so they all have the same parent process, as Maelstrom's nodes have its JVM. It takes
 * every option of {@code maelstrom test}: those that make no sense here (ssh, a Jepsen
 * log) are reported as ignored. bench.java registers it as a subcommand; tests and
 * {@code sweep} run it through {@link #run(String...)}, so that a command line means the
 * same everywhere.
 */
@Command(name = "test", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = TestCommand.USAGE,
        modelTransformer = TestCommand.IgnoredOptions.class,
        description = "Runs --test-count tests, stopping at the first that is not valid. Words after the flags "
                + "are passed to the --bin program.")
public final class TestCommand implements Callable<Integer> {

    /** Exit code for a command line the bench cannot run. */
    public static final int USAGE = 254;

    /** Jepsen's nodes when no --node-count, --nodes, --node or --nodes-file names them. */
    static final List<String> DEFAULT_NODES = List.of("n1", "n2", "n3", "n4", "n5");

    /**
     * An option of {@code maelstrom test} (Jepsen's test-opt-spec) that makes no sense on
     * the bench: accepted, and reported on stderr as ignored.
     *
     * @param name  the option
     * @param label its value's label, or null for a flag without one
     * @param why   why the bench ignores it
     */
    record Ignored(String name, String label, String why) {
    }

    /** The options of {@code maelstrom test} the bench accepts and ignores. */
    static final List<Ignored> IGNORED = List.of(
            new Ignored("--username", "USER", "the nodes are processes on this machine, not reached over ssh"),
            new Ignored("--password", "PASS", "the nodes are processes on this machine, not reached over ssh"),
            new Ignored("--strict-host-key-checking", null, "the bench never uses ssh"),
            new Ignored("--no-ssh", null, "the bench never uses ssh"),
            new Ignored("--ssh-private-key", "FILE", "the bench never uses ssh"),
            new Ignored("--leave-db-running", null, "the bench stops each test's nodes at its end"),
            new Ignored("--logging-json", null, "the bench writes no Jepsen log"));

    /** Adds the {@link #IGNORED} options to the command, so that picocli accepts them. */
    static final class IgnoredOptions implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            for (Ignored option : IGNORED) {
                spec.addOption(OptionSpec.builder(option.name())
                        .paramLabel(option.label() == null ? "" : option.label())
                        .type(option.label() == null ? boolean.class : String.class)
                        .arity(option.label() == null ? "0" : "1")
                        .description("Accepted as by Maelstrom, and ignored: " + option.why() + ".").build());
            }
            return spec;
        }
    }

    @Option(names = {"-w", "--workload"}, description = "Workload: ${COMPLETION-CANDIDATES}",
            completionCandidates = WorkloadNames.class)
    String workload;
    @Option(names = "--bin", description = "The program that runs one node.")
    String bin;
    @Option(names = "--node-count", description = "Number of nodes, named n0 ... n(N-1); overrides --nodes "
            + "(without it and the node options: n1 ... n5, Jepsen's).")
    Integer nodeCount;
    @Option(names = "--nodes", paramLabel = "NODE_LIST", description = "Comma-separated node ids, as init gives them.")
    String nodes;
    @Option(names = {"-n", "--node"}, paramLabel = "HOSTNAME", description = "A node id; may be given many times.")
    List<String> node = new ArrayList<>();
    @Option(names = "--nodes-file", paramLabel = "FILENAME", description = "A file of node ids, one a line.")
    Path nodesFile;
    @Option(names = "--test-count", defaultValue = "1",
            description = "How many tests to run, one after another (default ${DEFAULT-VALUE}).")
    int testCount;
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
    @Option(names = "--log-net-send", description = "Print every message as it is sent.")
    boolean logNetSend;
    @Option(names = "--log-net-recv", description = "Print every message as it is received.")
    boolean logNetRecv;
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
     * Runs the tests of the words that follow {@code bench test}, presets expanded and
     * options given twice allowed (the later wins), as on bench's command line; writes
     * each test's folder and prints its progress on stderr, but not its results. Answers
     * the last test's results: with {@code --test-count N}, the first that did not pass,
     * or the Nth.
     *
     * @throws IllegalArgumentException when the command line cannot be run, saying why
     * @throws IOException              when a test's folder cannot be written
     */
    public static Results run(String... args) throws IOException {
        return run(UnaryOperator.identity(), args);
    }

    /**
     * As {@link #run(String...)}, with each test's workload handed through {@code wrap}
     * first: a test can watch the operations or add a final phase.
     */
    public static Results run(UnaryOperator<Workload> wrap, String... args) throws IOException {
        return runAll(wrap, args).getLast();
    }

    /** As {@link #run(String...)}, answering every test's results in order. */
    public static List<Results> runAll(String... args) throws IOException {
        return runAll(UnaryOperator.identity(), args);
    }

    private static List<Results> runAll(UnaryOperator<Workload> wrap, String... args) throws IOException {
        TestCommand test = parsed(args);
        return test.runTests(test.plan(), wrap, results -> {
        });
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
        Options options;
        try {
            options = plan();
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            return USAGE;
        }
        List<Results> tests;
        try {
            tests = runTests(options, UnaryOperator.identity(), results -> {
                results.print(System.out);
                printCriteria(results);
            });
        } catch (IOException e) {
            System.err.println("bench: cannot run the tests: " + e.getMessage());
            return USAGE;
        }
        return exitCode(tests.getLast());
    }

    /** The part's preset, or null without --challenge. */
    private Challenges.Challenge preset() {
        return challenge == null ? null : Challenges.get(challenge);
    }

    /**
     * The exit code a test's results give: Maelstrom's (0 valid, 1 invalid, 2 unknown), or
     * with a preset 0 only when every criterion it judges passes.
     */
    private int exitCode(Results results) {
        Challenges.Challenge preset = preset();
        if (preset == null) {
            return results.exitCode();
        }
        boolean all = preset.criteria().stream()
                .allMatch(c -> preset.whyNotJudged(c, results.options()) != null || c.pass(results));
        return all ? 0 : results.validity() == Verdict.Validity.UNKNOWN ? 2 : 1;
    }

    /** With a preset, prints how the results fare on each of its criteria. */
    private void printCriteria(Results results) {
        Challenges.Challenge preset = preset();
        if (preset == null) {
            return;
        }
        System.out.printf("%nChallenge %s:%n", preset.part());
        for (Challenges.Criterion c : preset.criteria()) {
            Double v = c.value(results);
            String measured = v == null ? "nothing" : Challenges.Criterion.shown(v);
            String skipped = preset.whyNotJudged(c, results.options());
            String verdict = skipped != null ? "SKIP" : c.pass(results) ? "PASS" : "FAIL";
            System.out.printf("  %-4s %-34s measured %s%s%n", verdict, c.name(), measured,
                    skipped == null ? "" : ", not judged: " + skipped);
        }
    }

    /**
     * Validates the command line, and says on stderr which of its options the bench
     * ignores; throws IllegalArgumentException, saying why, when it cannot run. Answers
     * the first test's options.
     */
    private Options plan() {
        Options options = options();
        // Fails now, before any node starts, on options the workload rejects.
        Workloads.create(options);
        ParseResult given = spec.commandLine().getParseResult();
        for (Ignored option : IGNORED) {
            if (given.hasMatchedOption(option.name())) {
                System.err.printf("[bench] ignoring %s: %s%n", option.name(), option.why());
            }
        }
        List<String> clientLike = options.nodes().stream().filter(Network::isClient).toList();
        if (!clientLike.isEmpty()) {
            System.err.printf("[bench] nodes %s start with c: as Maelstrom, the bench takes their messages for a "
                    + "client's (no latency, not counted as servers')%n", clientLike);
        }
        return options;
    }

    /**
     * Runs the tests one after another, each with the same spawner (so its nodes have
     * the same parent as the tests' before), a fresh workload handed through {@code wrap},
     * and from the second on a seed drawn from the first's and a folder of its own;
     * {@code report} hears of each test's results. Stops after the first test whose
     * {@link #exitCode} is not 0, as Maelstrom does; answers every test's results.
     */
    private List<Results> runTests(Options first, UnaryOperator<Workload> wrap, Consumer<Results> report)
            throws IOException {
        Random seeds = new Random(first.seed());
        List<Results> tests = new ArrayList<>();
        try (Spawner spawner = new Spawner(first.program().command())) {
            Options options = first;
            for (int i = 1; i <= testCount; i++) {
                if (i > 1) {
                    options = options.withRun(seeds.nextLong(), runDir());
                }
                System.err.printf("[bench] %sseed %d; results in %s%n",
                        testCount == 1 ? "" : "test " + i + " of " + testCount + ": ", options.seed(), options.runDir());
                Results results = Runner.run(options, wrap.apply(Workloads.create(options)), spawner, System.err);
                results.write();
                linkLatest(options.runDir());
                report.accept(results);
                tests.add(results);
                if (exitCode(results) != 0) {
                    break;
                }
            }
        }
        return tests;
    }

    /**
     * Takes a part's preset as defaults: its flags for every option this command line did
     * not give (its --node-count only when no node was named), its workload when no -w
     * came, and {@code ./maelstrom.sh SCRIPT} in front of the node's words when no --bin came.
     */
    private void applyPreset(Challenges.Challenge preset) {
        ParseResult given = spec.commandLine().getParseResult();
        boolean named = Stream.of("--nodes", "--node", "--nodes-file").anyMatch(given::hasMatchedOption);
        ParseResult flags = new CommandLine(new TestCommand()).parseArgs(preset.flags().toArray(String[]::new));
        for (OptionSpec option : flags.matchedOptions()) {
            boolean nodeCountOverNames = named && option.longestName().equals("--node-count");
            if (!given.hasMatchedOption(option.longestName()) && !nodeCountOverNames) {
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
        if (nodeCount != null && nodeCount <= 0 || testCount <= 0 || timeLimit < 0 || rate < 0 || latency < 0
                || nemesisInterval <= 0 || quietPeriod < 0) {
            throw new IllegalArgumentException("counts, times and rates must not be negative");
        }
        List<String> nodeIds = nodeIds();
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
        return new Options(workload, new Options.Program(program, List.copyOf(args)),
                new Options.Cluster(nodeIds, latency, dist),
                new Options.Load(timeLimit, rate, Options.parseConcurrency(concurrency, nodeIds.size()), quietPeriod,
                        availability),
                new Options.Faults(faults, nemesisInterval),
                new Options.WorkloadParams(topology, Arrays.stream(consistencyModels.split("\\s*,\\s*")).toList(),
                        maxTxnLength, maxWritesPerKey, keyCount),
                new Options.Logs(logStderr, logNetSend, logNetRecv),
                seed != null ? seed : ThreadLocalRandom.current().nextLong(), runDir());
    }

    /**
     * The node ids as Jepsen's test-opt-fn merges them, after Maelstrom's --node-count
     * has replaced --nodes: the --nodes-file lines, then n0 ... n(N-1) or the --nodes
     * list, then the --node ids; Jepsen's n1 ... n5 when no option names any. An id that
     * could not work is refused: an empty one, one twice, a service's or a client's name
     * (c and a number), or one that is no file name.
     */
    private List<String> nodeIds() {
        List<String> ids = new ArrayList<>();
        if (nodesFile != null) {
            try {
                Files.readAllLines(nodesFile).stream().map(String::strip).filter(line -> !line.isEmpty())
                        .forEach(ids::add);
            } catch (IOException e) {
                throw new IllegalArgumentException("--nodes-file " + nodesFile + " cannot be read: " + e.getMessage());
            }
        }
        List<String> list = nodeCount != null ? Options.numberedNodes(nodeCount)
                : nodes != null ? Arrays.stream(nodes.split(",")).map(String::strip).toList() : null;
        if (list != null) {
            ids.addAll(list);
        }
        ids.addAll(node.isEmpty() && list == null && nodesFile == null ? DEFAULT_NODES : node);
        Set<String> seen = new HashSet<>();
        for (String id : ids) {
            String wrong = id.isEmpty() ? "is empty" : !seen.add(id) ? "is named twice"
                    : Services.NAMES.contains(id) ? "is a service's name"
                    : id.matches("c\\d+") ? "is a client's name"
                    : !id.matches("[\\w.-]+") || id.startsWith(".") ? "is not a plain file name (its log is ID.log)" : null;
            if (wrong != null) {
                throw new IllegalArgumentException("node id '" + id + "' " + wrong + "; nodes: " + ids);
            }
        }
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("no nodes");
        }
        return ids;
    }

    /** A folder for a test under the store, named by the time to the millisecond. */
    private Path runDir() {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS"));
        return store.resolve(workload).resolve(stamp).toAbsolutePath();
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
