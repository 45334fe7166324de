package bench.cli;

import bench.Json;
import bench.Options;
import bench.service.Services;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.DoubleStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The start-up benchmark: starts many nodes at once as Maelstrom does (from the temp
 * dir, all together), sends each an init, and prints how long until the last init_ok
 * and how much CPU the nodes spent. Maelstrom fails a node that has not answered init
 * within ten seconds. Each round has a fresh {@code lin-kv}, as each Maelstrom test
 * does, which answers what the nodes ask it before their init_ok (a node that keeps
 * state names its folder there), each message taking {@code --latency}.
 *
 * <p>Machines differ by two times and more, so the figure that means something is a
 * ratio: each round starts the baseline's nodes too, a minimal Python echo node unless
 * told otherwise, and the result is our time over theirs, measured side by side.
 */
@Command(name = "startup", mixinStandardHelpOptions = true,
        description = "Times how long N nodes started at once take to answer init, against a baseline node.")
public final class StartupCommand implements Callable<Integer> {

    /** How long a round waits for the nodes' init_ok: a node that takes longer has not answered. */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(15);

    @Option(names = "--bin", required = true, description = "The node program, as for 'test'.")
    String bin;

    @Option(names = "--baseline", defaultValue = "bench/python-echo.py", description = "The node program to compare "
            + "with, started alike in each round; a .py file runs on the python3 on PATH (default ${DEFAULT-VALUE}, "
            + "plain Python; 'none' for no comparison).")
    String baseline;

    @Option(names = "--node-count", defaultValue = "25", description = "Nodes started at once (default ${DEFAULT-VALUE}).")
    int nodeCount;

    @Option(names = "--rounds", defaultValue = "3", description = "Times to repeat (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--latency", defaultValue = "0", paramLabel = "MS", description = "How long each message to "
            + "and from lin-kv takes, as with Maelstrom's --latency (default ${DEFAULT-VALUE}; 3d's is 100).")
    long latencyMillis;

    @Parameters(description = "Arguments for the node program.")
    List<String> args = new ArrayList<>();

    /** One round's figures. */
    record Round(double lastInitOkSeconds, double cpuSeconds, int answered) {
    }

    /** The figures of one program over all rounds. */
    private final class Series {
        final String label;
        final List<String> command;
        final List<Round> rounds = new ArrayList<>();

        Series(String label, List<String> command) {
            this.label = label;
            this.command = command;
        }

        void measure(int round) throws Exception {
            Round r = round(command);
            rounds.add(r);
            System.out.printf("round %d, %s: %d/%d answered init, last init_ok after %.2f s, %.2f CPU s in nodes%n",
                    round, label, r.answered(), nodeCount, r.lastInitOkSeconds(), r.cpuSeconds());
        }

        double medianSeconds() {
            return median(rounds.stream().mapToDouble(Round::lastInitOkSeconds));
        }

        double medianCpu() {
            return median(rounds.stream().mapToDouble(Round::cpuSeconds));
        }

        boolean allAnswered() {
            return rounds.stream().allMatch(r -> r.answered() == nodeCount);
        }
    }

    @Override
    public Integer call() throws Exception {
        var command = new ArrayList<>(List.of(Path.of(bin).toRealPath().toString()));
        command.addAll(args);
        var ours = new Series(String.join(" ", bin, String.join(" ", args)).trim(), command);
        Series base = baseline.equals("none") ? null : new Series(baseline, baselineCommand());
        System.out.printf("%d nodes at once from %s, %d rounds%n", nodeCount, System.getProperty("java.io.tmpdir"),
                rounds);
        for (int i = 1; i <= rounds; i++) {
            if (base != null) {
                base.measure(i);
            }
            ours.measure(i);
        }
        System.out.printf("median, %s: last init_ok after %.2f s, %.2f CPU s%n", ours.label, ours.medianSeconds(),
                ours.medianCpu());
        if (base != null) {
            System.out.printf("median, %s: last init_ok after %.2f s, %.2f CPU s%n", base.label, base.medianSeconds(),
                    base.medianCpu());
            System.out.printf("ratio: %.2f x the baseline's time, %.2f x its CPU%n",
                    ours.medianSeconds() / base.medianSeconds(), ours.medianCpu() / base.medianCpu());
        }
        return ours.allAnswered() ? 0 : 1;
    }

    /** How to start the baseline: a Python file on the interpreter itself, not a launcher shim in front of it. */
    private List<String> baselineCommand() throws IOException, InterruptedException {
        String program = Path.of(baseline).toRealPath().toString();
        if (!program.endsWith(".py")) {
            return List.of(program);
        }
        Process which = new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String python = new String(which.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (which.waitFor() != 0 || python.isEmpty()) {
            throw new IOException("no python3 on PATH for the baseline " + baseline + " (--baseline none skips it)");
        }
        return List.of(python, program);
    }

    private static double median(DoubleStream values) {
        double[] sorted = values.sorted().toArray();
        return sorted[sorted.length / 2];
    }

    private Round round(List<String> command) throws Exception {
        double cpuBefore = childrenCpuSeconds();
        var nodes = new ArrayList<Process>();
        var answers = new ArrayList<CompletableFuture<Long>>();
        var linKv = new Services.LinKv();
        long start = System.nanoTime();
        for (int i = 0; i < nodeCount; i++) {
            nodes.add(new ProcessBuilder(command).directory(Path.of(System.getProperty("java.io.tmpdir")).toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start());
        }
        for (int i = 0; i < nodeCount; i++) {
            Process node = nodes.get(i);
            ObjectNode init = Json.object().put("src", "c0").put("dest", "n" + i);
            init.set("body", Json.init("n" + i, nodeIds()).put("msg_id", 1));
            OutputStream stdin = node.getOutputStream();
            stdin.write((init + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            answers.add(CompletableFuture.supplyAsync(() -> awaitInitOk(node, linKv), Thread::startVirtualThread)
                    .completeOnTimeout(0L, ANSWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        }
        long last = 0;
        int answered = 0;
        for (var answer : answers) {
            long at = answer.get();
            if (at > 0) {
                answered++;
                last = Math.max(last, at - start);
            }
        }
        for (Process node : nodes) {
            node.destroyForcibly(); // as Maelstrom does: SIGKILL
            node.waitFor();
        }
        return new Round(last / 1e9, childrenCpuSeconds() - cpuBefore, answered);
    }

    private List<String> nodeIds() {
        return Options.numberedNodes(nodeCount);
    }

    /**
     * When the node's init_ok came, answering its requests to {@code linKv} meanwhile; 0
     * when it wrote anything else first, or nothing.
     */
    private long awaitInitOk(Process node, Services.LinKv linKv) {
        try (var out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (!(Json.MAPPER.readTree(line) instanceof ObjectNode message)
                        || !(message.get("body") instanceof ObjectNode body)) {
                    return 0;
                }
                if (!message.path("dest").asText().equals("lin-kv")) {
                    return "init_ok".equals(Json.type(body)) ? System.nanoTime() : 0;
                }
                ObjectNode reply = Services.reply(linKv, message.get("src").asText(), body);
                if (reply == null) continue; // not a request Maelstrom answers
                Thread.sleep(2 * latencyMillis); // there and back
                ObjectNode answer = Json.object().put("src", "lin-kv").put("dest", message.get("src").asText());
                answer.set("body", reply);
                node.getOutputStream().write((answer + "\n").getBytes(StandardCharsets.UTF_8));
                node.getOutputStream().flush();
            }
            return 0;
        } catch (IOException e) { // no line, or not JSON: no init_ok
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /**
     * CPU seconds of this JVM's children that have ended and been reaped, from
     * /proc/self/stat: it counts what the nodes' launch scripts ran before exec too.
     */
    private static double childrenCpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields[0] is field 3 (state); cutime and cstime are fields 16 and 17
        long ticks = Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
        return ticks / 100.0; // USER_HZ is 100 on Linux
    }
}
