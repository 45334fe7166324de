package bench.cli;

import bench.report.Latencies;
import bench.report.Results;
import bench.report.Verdict;
import bench.view.SweepPlot;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bench sweep}, the benchmark: one part over several seeds, as a table. */
@Command(name = "sweep", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = TestCommand.USAGE,
        description = {"Runs a part's test once per seed and prints its figures per seed and their median.",
                "Its own options come first; the rest go to 'test' (node options after --), e.g.",
                "  sweep --challenge 3d --seeds 1..5 --nemesis partition -- hub-batch=400"})
public final class SweepCommand implements Callable<Integer> {

    @Option(names = "--challenge", required = true, paramLabel = "PART", description = "The part to run.")
    String part;

    @Option(names = "--seeds", defaultValue = "1..5", description = "A range (1..5) or a list (3,7,9); default ${DEFAULT-VALUE}.")
    String seeds;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Broadcast only: draws servers msgs-per-op "
            + "against the median stable latency, a point per seed, into FILE.png; the points are kept in FILE.csv "
            + "beside it, so sweeps of other settings add up.")
    Path plot;

    @Option(names = "--published", split = ",", paramLabel = "MSGS@MEDIAN/MAX",
            description = "Published figures drawn beside ours on the plot, e.g. 23.4@181/207,1.92@764/1087.")
    List<String> published = new ArrayList<>();

    /** The test's own flags, and the node's options behind a "--", as given. */
    @CommandLine.Unmatched
    List<String> testArgs = new ArrayList<>();

    /** The node's options when no test flag came first: picocli took their "--" for its own. */
    @Parameters(paramLabel = "NODE-OPTION", description = "Options for the node program, after --.")
    List<String> nodeArgs = new ArrayList<>();

    /** One column: its heading and how a run's results give its figure. */
    record Column(String heading, java.util.function.Function<Results, Double> figure) {
    }

    @Override
    public Integer call() {
        Challenges.Challenge preset = Challenges.presetOrComplain(part);
        if (preset == null) {
            return TestCommand.USAGE;
        }
        List<SweepPlot.Published> theirs;
        try {
            theirs = published.stream().map(SweepPlot.Published::parse).toList();
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            return TestCommand.USAGE;
        }
        if (plot != null && !preset.workload().equals("broadcast")) {
            System.err.println("bench: --plot draws broadcast's figures; part " + part + " is " + preset.workload());
            return TestCommand.USAGE;
        }
        String setting = setting();
        var points = new ArrayList<SweepPlot.Point>();
        var columns = new ArrayList<>(List.of(
                new Column("valid", r -> r.validity() == Verdict.Validity.VALID ? 1.0 : 0.0),
                new Column("ok-fraction", r -> r.ops().okFraction()),
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
            var args = new ArrayList<>(List.of("--challenge", part, "--seed", Long.toString(seed)));
            args.addAll(testArgs);
            if (!nodeArgs.isEmpty()) {
                args.add("--");
                args.addAll(nodeArgs);
            }
            List<Results> tests;
            try {
                tests = TestCommand.runAll(args.toArray(String[]::new));
            } catch (IllegalArgumentException e) {
                System.err.println("bench: " + e.getMessage());
                return TestCommand.USAGE;
            } catch (IOException e) {
                System.err.println("bench: cannot write the run's folder: " + e.getMessage());
                return TestCommand.USAGE;
            }
            for (int i = 0; i < tests.size(); i++) {
                Results results = tests.get(i);
                allValid &= results.validity() == Verdict.Validity.VALID;
                double[] row = columns.stream().mapToDouble(c -> {
                    Double v = c.figure().apply(results);
                    return v == null ? Double.NaN : v;
                }).toArray();
                table.add(row);
                JsonNode stable = results.verdict() == null ? null : results.verdict().details().get("stable-latencies");
                if (stable != null && stable.has("0.5")) {
                    points.add(new SweepPlot.Point(setting, results.options().seed(), results.serversMsgsPerOp(),
                            stable.get("0.5").asDouble(), stable.get("1").asDouble()));
                }
                // A --test-count's later tests draw their seeds from the first's: seed.test names them.
                String label = i == 0 ? Long.toString(seed) : seed + "." + (i + 1);
                rows.append(String.format("%-6s", label)).append(cells(row)).append('\n');
            }
            System.err.printf("[bench] seed %d done%n", seed);
        }
        double[] medians = new double[columns.size()];
        for (int c = 0; c < medians.length; c++) {
            final int column = c;
            double[] values = table.stream().mapToDouble(r -> r[column]).filter(v -> !Double.isNaN(v)).sorted().toArray();
            medians[c] = values.length == 0 ? Double.NaN : values[values.length / 2];
        }
        System.out.printf("%nsweep of %s over seeds %s %s%n%s%n%s%-6s%s%n", part, seeds, String.join(" ", testArgs) + (nodeArgs.isEmpty() ? "" : " -- " + String.join(" ", nodeArgs)),
                heading, rows, "median", cells(medians));
        if (plot != null) {
            try {
                SweepPlot.write(plot, points, theirs);
                System.err.printf("[bench] plotted in %s, points kept in %s%n", plot, SweepPlot.dataFile(plot));
            } catch (IOException e) {
                System.err.println("bench: cannot write the plot: " + e.getMessage());
                return TestCommand.USAGE;
            }
        }
        return allValid ? 0 : 1;
    }

    /** The part and the flags and node options of this sweep, without --store, which changes no figure, and "--". */
    private String setting() {
        var words = new ArrayList<>(List.of(part));
        for (int i = 0; i < testArgs.size(); i++) {
            if (testArgs.get(i).equals("--store")) {
                i++;
            } else if (!testArgs.get(i).startsWith("--store=") && !testArgs.get(i).equals("--")) {
                words.add(testArgs.get(i));
            }
        }
        words.addAll(nodeArgs);
        return String.join(" ", words);
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
            line.append(Double.isNaN(v) ? String.format(" %15s", "-") : String.format(" %15s", Challenges.Criterion.shown(v)));
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
