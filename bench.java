///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 25
//DEPS com.fasterxml.jackson.core:jackson-databind:2.20.1
//DEPS info.picocli:picocli:4.7.7
//SOURCES bench/*.java
//MAIN BenchCommand
//JAVA_OPTIONS -XX:+UseSerialGC -XX:TieredStopAtLevel=1
//DESCRIPTION A Maelstrom-compatible test bench for Gossip Glomers nodes: same command line, same workloads, same verdicts.

import bench.Challenges;
import bench.Latencies;
import bench.Options;
import bench.Results;
import bench.Runner;
import bench.Startup;
import bench.Topology;
import bench.Verdict;
import bench.Workload;
import bench.Workloads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The command line: {@code bench test ...} with Maelstrom's flags, plus presets per challenge part. */
@Command(name = "bench", mixinStandardHelpOptions = true, version = "bench 1.0",
        description = "Runs Maelstrom workloads against real node processes, judged as Maelstrom judges them.",
        subcommands = {BenchCommand.Test.class, BenchCommand.Sweep.class, BenchCommand.Preset.class, Startup.class},
        exitCodeOnInvalidInput = BenchCommand.USAGE)
class BenchCommand {

    /** Exit code for a command line the bench cannot run. */
    static final int USAGE = 254;

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new BenchCommand());
        cli.getSubcommands().get("test").setOverwrittenOptionsAllowed(true);
        cli.getSubcommands().get("sweep").setStopAtUnmatched(true);
        System.exit(cli.execute(Challenges.expand(args)));
    }

    /** One test run. */
    @Command(name = "test", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = USAGE,
            description = "Runs one test. Words after the flags are passed to the --bin program.")
    static final class Test implements Callable<Integer> {

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
        @Option(names = "--nemesis", defaultValue = "", description = "Faults: partition.")
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
        @Option(names = "--challenge", description = "A Gossip Glomers part (1, 2, 3a-3e, 4, ...): its official flags, judged on its criteria.")
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

        /** Completion candidates for --workload. */
        static final class WorkloadNames extends ArrayList<String> {
            WorkloadNames() {
                super(Workloads.names());
            }
        }

        @Override
        public Integer call() {
            Results results = run();
            if (results == null) {
                return USAGE;
            }
            results.print(System.out);
            Challenges.Challenge preset = challenge == null ? null : Challenges.get(challenge);
            if (preset == null) {
                return results.exitCode();
            }
            boolean all = true;
            System.out.printf("%nChallenge %s:%n", preset.part());
            List<Challenges.Criterion> judged = preset.judged(results.options());
            preset.criteria().stream().filter(c -> !judged.contains(c)).forEach(c -> System.out.printf(
                    "  %-4s %-34s not judged: performance is measured without partitions%n", "SKIP", c.name()));
            for (Challenges.Criterion c : judged) {
                Double v = c.value(results);
                boolean pass = c.pass(results);
                all &= pass;
                System.out.printf("  %-4s %-34s measured %s%n", pass ? "PASS" : "FAIL", c.name(),
                        v == null ? "nothing" : String.format("%.2f", v));
            }
            return all ? 0 : results.validity() == Verdict.Validity.UNKNOWN ? 2 : 1;
        }

        /** Runs the test as configured and writes its results; null, having said why, when it cannot run. */
        Results run() {
            Options options;
            Workload workload;
            try {
                if (challenge != null && Challenges.get(challenge) == null) {
                    throw new IllegalArgumentException("no preset for part " + challenge + "; one of " + Challenges.parts());
                }
                options = options();
                workload = Workloads.create(options);
            } catch (IllegalArgumentException e) {
                System.err.println("bench: " + e.getMessage());
                return null;
            }
            System.err.printf("[bench] seed %d; results in %s%n", options.seed(), options.runDir());
            Results results;
            try {
                results = Runner.run(options, workload, System.err, logStderr);
                results.write();
            } catch (IOException e) {
                System.err.println("bench: cannot write the run's folder: " + e.getMessage());
                return null;
            }
            linkLatest(options.runDir());
            return results;
        }

        private Options options() {
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
            if (!nemesis.isBlank() && !nemesis.trim().equals("partition")) {
                throw new IllegalArgumentException("the only nemesis is partition, not " + nemesis);
            }
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
            return new Options(workload, program, List.copyOf(args), nodeCount, timeLimit, rate, latency, dist,
                    topology, !nemesis.isBlank(), nemesisInterval, Options.parseConcurrency(concurrency, nodeCount),
                    availability, quietPeriod, seed != null ? seed : ThreadLocalRandom.current().nextLong(),
                    runDir, Arrays.stream(consistencyModels.split("\\s*,\\s*")).toList(), maxTxnLength,
                    maxWritesPerKey, keyCount);
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

    /** A part's official flags, for run.sh to hand to Maelstrom. */
    @Command(name = "command", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = USAGE,
            description = "Prints a part's Maelstrom arguments, one a line: test -w W FLAGS... --bin ./maelstrom.sh NAME")
    static final class Preset implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "PART", description = "1, 2, 3a-3e, 4, 5a-5c, 6a-6c")
        String part;

        @Override
        public Integer call() {
            Challenges.Challenge preset = Challenges.get(part);
            if (preset == null) {
                System.err.println("bench: no preset for part " + part + "; one of " + Challenges.parts());
                return USAGE;
            }
            var words = new ArrayList<>(List.of("test", "-w", preset.workload()));
            words.addAll(preset.flags());
            words.addAll(List.of("--bin", "./maelstrom.sh", preset.script()));
            words.forEach(System.out::println);
            return 0;
        }
    }

    /** The benchmark: one part over several seeds, as a table. */
    @Command(name = "sweep", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = USAGE,
            description = {"Runs a part's test once per seed and prints its figures per seed and their median.",
                    "Its own options come first; the rest go to 'test' (node options after --), e.g.",
                    "  sweep --challenge 3d --seeds 1..5 --nemesis partition -- --fanout-interval 700"})
    static final class Sweep implements Callable<Integer> {

        @Option(names = "--challenge", required = true, paramLabel = "PART", description = "The part to run.")
        String part;

        @Option(names = "--seeds", defaultValue = "1..5", description = "A range (1..5) or a list (3,7,9); default ${DEFAULT-VALUE}.")
        String seeds;

        @CommandLine.Unmatched
        List<String> testArgs = new ArrayList<>();

        /** One column: its heading and how a run's results give its figure. */
        record Column(String heading, java.util.function.Function<Results, Double> figure) {
        }

        @Override
        public Integer call() {
            Challenges.Challenge preset = Challenges.get(part);
            if (preset == null) {
                System.err.println("bench: no preset for part " + part + "; one of " + Challenges.parts());
                return USAGE;
            }
            var columns = new ArrayList<>(List.of(
                    new Column("valid", r -> r.validity() == Verdict.Validity.VALID ? 1.0 : 0.0),
                    new Column("ok-fraction", Results::okFraction),
                    new Column("servers-msgs/op", Results::serversMsgsPerOp)));
            preset.criteria().stream().filter(c -> !c.name().equals("checker valid")
                            && !c.name().startsWith("servers msgs-per-op <"))
                    .forEach(c -> columns.add(new Column(c.name().replaceAll(" *[<>].*", "").replace(' ', '-'), c::value)));
            columns.add(new Column("lost", r -> detail(r, "lost-count")));
            columns.add(new Column("op-p50-ms", r -> latency(r, Latencies::p50)));
            columns.add(new Column("op-p99-ms", r -> latency(r, Latencies::p99)));
            columns.add(new Column("op-max-ms", r -> latency(r, Latencies::max)));

            var table = new ArrayList<double[]>();
            StringBuilder heading = new StringBuilder(String.format("%-6s", "seed"));
            columns.forEach(c -> heading.append(String.format(" %15s", c.heading())));
            var rows = new StringBuilder();
            boolean allValid = true;
            for (long seed : seedList()) {
                var test = new Test();
                var cli = new CommandLine(test).setOverwrittenOptionsAllowed(true);
                var args = new ArrayList<>(List.of("test", "--challenge", part, "--seed", Long.toString(seed)));
                args.addAll(testArgs);
                String[] expanded = Challenges.expand(args.toArray(String[]::new));
                try {
                    cli.parseArgs(Arrays.copyOfRange(expanded, 1, expanded.length));
                } catch (CommandLine.ParameterException e) {
                    System.err.println("bench: " + e.getMessage());
                    return USAGE;
                }
                Results results = test.run();
                if (results == null) {
                    return USAGE;
                }
                allValid &= results.validity() == Verdict.Validity.VALID;
                double[] row = columns.stream().mapToDouble(c -> {
                    Double v = c.figure().apply(results);
                    return v == null ? Double.NaN : v;
                }).toArray();
                table.add(row);
                rows.append(String.format("%-6d", seed)).append(cells(row)).append('\n');
                System.err.printf("[bench] seed %d done%n", seed);
            }
            double[] medians = new double[columns.size()];
            for (int c = 0; c < medians.length; c++) {
                final int column = c;
                double[] values = table.stream().mapToDouble(r -> r[column]).filter(v -> !Double.isNaN(v)).sorted().toArray();
                medians[c] = values.length == 0 ? Double.NaN : values[values.length / 2];
            }
            System.out.printf("%nsweep of %s over seeds %s %s%n%s%n%s%-6s%s%n", part, seeds, String.join(" ", testArgs),
                    heading, rows, "median", cells(medians));
            return allValid ? 0 : 1;
        }

        private List<Long> seedList() {
            if (seeds.contains("..")) {
                String[] range = seeds.split("\\.\\.");
                long from = Long.parseLong(range[0].trim()), to = Long.parseLong(range[1].trim());
                return java.util.stream.LongStream.rangeClosed(from, to).boxed().toList();
            }
            return Arrays.stream(seeds.split(",")).map(String::trim).map(Long::parseLong).toList();
        }

        private static String cells(double[] row) {
            var line = new StringBuilder();
            for (double v : row) {
                line.append(Double.isNaN(v) ? String.format(" %15s", "-") : String.format(" %15.2f", v));
            }
            return line.toString();
        }

        private static Double detail(Results results, String name) {
            var v = results.verdict() == null ? null : results.verdict().details().get(name);
            return v == null ? null : v.asDouble();
        }

        private static Double latency(Results results, java.util.function.ToDoubleFunction<Latencies> quantile) {
            Latencies all = results.latencies().getOrDefault("all", results.latencies().values().stream().findFirst().orElse(null));
            return all == null ? null : quantile.applyAsDouble(all);
        }
    }
}
