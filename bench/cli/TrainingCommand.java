package bench.cli;

import bench.Json;
import bench.workload.Workload;
import bench.workload.Workloads;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code bench training}: the requests of the training run that records a node's AOT
 * cache (maelstrom.sh), made by every workload's own generator, so that the requests a
 * node is trained on are the ones the bench, and Maelstrom, send it. The output is kept
 * in {@link #FILE}, which maelstrom.sh reads as it builds: building a node must not
 * wait for the bench to compile. A test checks that the file is what this prints.
 *
 * <p>It is one init of n0 in a cluster of two, each workload's setup for n0 (broadcast's
 * topology), then {@link #ROUNDS} rounds of one request of every workload from client
 * c1, asked for in turn by {@link #PROCESSES} client processes (lin-kv gives some
 * processes reads and others writes), from one seeded generator, so that the file
 * changes only when a generator does. A script answers the requests of other workloads
 * with error 10, which trains that path too. Nothing answers the generators, so what a
 * workload sends only after an answer is not here (kafka's commit after a poll).
 */
@Command(name = "training", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = TestCommand.USAGE,
        description = "Prints the requests maelstrom.sh trains every node's AOT cache with (kept in "
                + TrainingCommand.FILE + "), one JSON line each, made by each workload's generator.")
public final class TrainingCommand implements Callable<Integer> {

    /**
     * Where the output is kept, relative to the repository: .generated/ holds the files a
     * command makes and the repository keeps, apart from lib/, the library users read, and
     * hidden as .ci/ is, since no one edits them by hand.
     */
    public static final String FILE = ".generated/training.jsonl";
    /** Rounds of one request of every workload: enough for the classes and paths of a run to be loaded and profiled. */
    static final int ROUNDS = 300;
    static final int PROCESSES = 10;
    static final List<String> NODES = List.of("n0", "n1");
    static final long SEED = 1;

    /** Where the output is kept, under the repository {@code root}. */
    public static Path file(Path root) {
        return root.resolve(FILE);
    }

    /** The training requests, one JSON line each. */
    public static List<String> lines() {
        List<Workload> workloads = Workloads.names().stream()
                .map(name -> Workloads.create(TestCommand.parse("--challenge", firstPartOf(name)))).toList();
        var bodies = new ArrayList<ObjectNode>();
        bodies.add(Json.init(NODES.get(0), NODES));
        for (Workload workload : workloads) {
            ObjectNode setup = workload.setup(NODES.get(0), NODES);
            if (setup != null) bodies.add(setup);
        }
        var random = new Random(SEED);
        for (int round = 0; round < ROUNDS; round++) {
            for (Workload workload : workloads) {
                ObjectNode next = workload.next(round % PROCESSES, random);
                if (next != null && !Json.type(next).equals(Workload.CRASH)) bodies.add(next);
            }
        }
        var lines = new ArrayList<String>();
        for (ObjectNode body : bodies) {
            body.put("msg_id", lines.size() + 1);
            String src = Json.type(body).equals("init") ? "c0" : "c1";
            ObjectNode message = Json.object().put("src", src).put("dest", NODES.get(0));
            message.set("body", body);
            lines.add(message.toString());
        }
        return lines;
    }

    /** The first part, in the presets' order, that runs {@code workload}. */
    private static String firstPartOf(String workload) {
        return Challenges.parts().stream().filter(part -> Challenges.get(part).workload().equals(workload)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no part runs workload " + workload));
    }

    @Override
    public Integer call() {
        lines().forEach(System.out::println);
        return 0;
    }
}
