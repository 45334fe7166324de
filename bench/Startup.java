package bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The start-up benchmark: starts many nodes at once as Maelstrom does (from the temp
 * dir, all together), sends each an init, and prints how long until the last init_ok
 * and how much CPU the nodes spent. Maelstrom fails a node that has not answered init
 * within ten seconds.
 */
@Command(name = "startup", mixinStandardHelpOptions = true,
        description = "Times how long N nodes started at once take to answer init.")
public final class Startup implements Callable<Integer> {

    @Option(names = "--bin", required = true, description = "The node program, as for 'test'.")
    String bin;

    @Option(names = "--node-count", defaultValue = "25", description = "Nodes started at once (default ${DEFAULT-VALUE}).")
    int nodeCount;

    @Option(names = "--rounds", defaultValue = "3", description = "Times to repeat (default ${DEFAULT-VALUE}).")
    int rounds;

    @Parameters(description = "Arguments for the node program.")
    List<String> args = new ArrayList<>();

    /** One round's figures. */
    record Round(double lastInitOkSeconds, double cpuSeconds, int answered) {
    }

    @Override
    public Integer call() throws Exception {
        Path binary = Path.of(bin).toRealPath();
        System.out.printf("%d nodes of %s %s, started at once from %s%n", nodeCount, bin, String.join(" ", args),
                System.getProperty("java.io.tmpdir"));
        var rounds = new ArrayList<Round>();
        for (int i = 1; i <= this.rounds; i++) {
            Round round = round(binary);
            rounds.add(round);
            System.out.printf("round %d: %d/%d answered init, last init_ok after %.2f s, %.2f CPU s in nodes%n",
                    i, round.answered(), nodeCount, round.lastInitOkSeconds(), round.cpuSeconds());
        }
        double[] times = rounds.stream().mapToDouble(Round::lastInitOkSeconds).sorted().toArray();
        double[] cpu = rounds.stream().mapToDouble(Round::cpuSeconds).sorted().toArray();
        System.out.printf("median: last init_ok after %.2f s, %.2f CPU s%n", times[times.length / 2], cpu[cpu.length / 2]);
        return rounds.stream().allMatch(r -> r.answered() == nodeCount) ? 0 : 1;
    }

    private Round round(Path binary) throws Exception {
        double cpuBefore = childrenCpuSeconds();
        var command = new ArrayList<String>();
        command.add(binary.toString());
        command.addAll(args);
        var nodes = new ArrayList<Process>();
        var answers = new ArrayList<CompletableFuture<Long>>();
        long start = System.nanoTime();
        for (int i = 0; i < nodeCount; i++) {
            nodes.add(new ProcessBuilder(command).directory(Path.of(System.getProperty("java.io.tmpdir")).toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start());
        }
        for (int i = 0; i < nodeCount; i++) {
            Process node = nodes.get(i);
            String init = "{\"src\":\"c0\",\"dest\":\"n%d\",\"body\":{\"type\":\"init\",\"node_id\":\"n%d\",\"node_ids\":%s,\"msg_id\":1}}\n"
                    .formatted(i, i, nodeIds());
            OutputStream stdin = node.getOutputStream();
            stdin.write(init.getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            answers.add(CompletableFuture.supplyAsync(() -> awaitInitOk(node), Thread::startVirtualThread));
        }
        long last = 0;
        int answered = 0;
        for (var answer : answers) {
            long at = answer.get(15, TimeUnit.SECONDS);
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

    private String nodeIds() {
        var ids = new ArrayList<String>();
        for (int i = 0; i < nodeCount; i++) ids.add("\"n" + i + "\"");
        return ids.toString().replace(" ", "");
    }

    /** When the node's first line, an init_ok, came; 0 when it did not. */
    private static long awaitInitOk(Process node) {
        try (var out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            return line != null && line.contains("\"init_ok\"") ? System.nanoTime() : 0;
        } catch (IOException e) {
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
