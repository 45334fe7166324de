package tests.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bench.Json;
import bench.Options;
import bench.cli.TestCommand;
import bench.report.Results;
import bench.report.Verdict;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import tests.support.Histories;
import tests.support.Nodes;

/**
 * Every option of {@code maelstrom test --help} (Maelstrom 0.2.4's opt-spec and Jepsen
 * 0.3.7's test-opt-spec) is accepted: node names as Jepsen merges them, reaching the nodes
 * in init; the network logs; and what makes no sense on the bench reported as ignored.
 */
class MaelstromOptionsTest {

    static List<String> nodes(String... flags) {
        var words = new ArrayList<>(List.of("-w", "echo", "--bin", "/bin/true"));
        words.addAll(List.of(flags));
        return TestCommand.parse(words.toArray(String[]::new)).nodes();
    }

    @Test
    void everyOptionOfMaelstromTestIsAnOptionOfTheBench() {
        CommandSpec spec = new CommandLine(new TestCommand()).getCommandSpec();
        List<String> maelstrom = List.of("--bin", "-w", "--workload", "--availability", "--consistency-models",
                "--key-count", "--latency", "--latency-dist", "--log-net-send", "--log-net-recv", "--log-stderr",
                "--max-txn-length", "--max-writes-per-key", "--node-count", "--nemesis", "--nemesis-interval", "--rate",
                "--topology");
        List<String> jepsen = List.of("-h", "--help", "-n", "--node", "--nodes", "--nodes-file", "--username",
                "--password", "--strict-host-key-checking", "--no-ssh", "--ssh-private-key", "--concurrency",
                "--leave-db-running", "--logging-json", "--test-count", "--time-limit");
        List<String> missing = Stream.concat(maelstrom.stream(), jepsen.stream())
                .filter(name -> spec.findOption(name) == null).toList();
        assertEquals(List.of(), missing);

        Options options = TestCommand.parse("-w", "echo", "--bin", "/bin/true", "--username", "me", "--password", "pw",
                "--strict-host-key-checking", "--no-ssh", "--ssh-private-key", "/no/such/key", "--leave-db-running",
                "--logging-json", "--log-net-send", "--log-net-recv", "--log-stderr", "--test-count", "2");
        assertEquals(new Options.Logs(true, true, true), options.logs());
        assertEquals(new Options.Logs(false, false, false), TestCommand.parse("-w", "echo", "--bin", "/bin/true").logs());
    }

    @Test
    void nodeNamesAreMergedAsJepsenMergesThemAndNodeCountWins() throws Exception {
        assertEquals(List.of("n1", "n2", "n3", "n4", "n5"), nodes(), "Jepsen's default nodes");
        assertEquals(List.of("n0", "n1", "n2"), nodes("--node-count", "3"), "Maelstrom's numbering");
        assertEquals(List.of("a", "b", "c"), nodes("--nodes", "a,b,c"), "c too, which Maelstrom takes for a client");
        assertEquals(List.of("a", "b", "c"), nodes("--nodes", "a, b,c"), "Jepsen splits on a comma and spaces");
        assertEquals(List.of("n0", "n1"), nodes("--nodes", "a,b,c", "--node-count", "2"), "--node-count overrides --nodes");
        assertEquals(List.of("x", "y"), nodes("-n", "x", "--node", "y"));
        assertEquals(List.of("a", "b", "x"), nodes("--nodes", "a,b", "-n", "x"));
        Path file = Files.createTempFile("nodes", ".txt");
        Files.writeString(file, "f1\n  f2 \n\n");
        assertEquals(List.of("f1", "f2", "a"), nodes("--nodes-file", file.toString(), "--nodes", "a"));
        assertEquals(6, TestCommand.parse("-w", "echo", "--bin", "/bin/true", "--nodes", "a,b,c", "--concurrency", "2n")
                .load().concurrency(), "2n counts the named nodes");

        assertEquals(List.of("a", "b"), TestCommand.parse("--challenge", "1", "--nodes", "a,b").nodes(),
                "a preset's --node-count gives way to nodes named on the command line");
        assertEquals(List.of("n0"), TestCommand.parse("--challenge", "1").nodes());

        for (String bad : List.of("a,a", "c1", "lin-kv", "a/b", "a,,b")) {
            var e = assertThrows(IllegalArgumentException.class, () -> nodes("--nodes", bad), bad);
            assertTrue(e.getMessage().contains("node id"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> nodes("--test-count", "0"));
        assertThrows(IllegalArgumentException.class, () -> nodes("--node-count", "0"));
    }

    @Test
    void namedNodesGetTheirNamesAsIdsAndTheNetworkLogsShowTheirMessages() throws Exception {
        Nodes.prepare("echo");
        PrintStream stderr = System.err;
        var captured = new ByteArrayOutputStream();
        Results results;
        System.setErr(new PrintStream(new Tee(stderr, captured), true, StandardCharsets.UTF_8));
        try {
            results = TestCommand.run("-w", "echo", "--bin", "maelstrom.sh", "--nodes", "alpha,beta", "--time-limit", "2",
                    "--rate", "10", "--seed", "1", "--store", Files.createTempDirectory("bench-test").toString(),
                    "--log-net-send", "--log-net-recv", "--username", "me", "--no-ssh", "--", "echo");
        } finally {
            System.setErr(stderr);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertEquals(Verdict.Validity.VALID, results.validity());
        assertTrue(results.problems().isEmpty(), results.problems().toString());
        assertEquals(List.of("alpha", "beta"), results.options().nodes());
        Set<String> served = Histories.of(results).stream().map(op -> op.get("node").asText()).collect(Collectors.toSet());
        assertEquals(Set.of("alpha", "beta"), served, "clients call the nodes by their names");
        for (String node : List.of("alpha", "beta")) {
            assertTrue(Files.exists(results.options().runDir().resolve("node-logs/" + node + ".log")), node);
        }
        JsonNode init = log.lines().filter(line -> line.startsWith(":send ") && line.contains("\"init\""))
                .map(line -> Json.bodyOf(line.substring(":send ".length()))).findFirst().orElseThrow();
        assertTrue(Set.of("alpha", "beta").contains(init.get("node_id").asText()), init.toString());
        assertEquals("[\"alpha\",\"beta\"]", init.get("node_ids").toString());
        assertTrue(log.lines().anyMatch(line -> line.startsWith(":recv ") && line.contains("\"src\":\"alpha\"")
                && line.contains("init_ok")), "the receive of alpha's init_ok is logged");
        assertTrue(log.contains("[bench] ignoring --username"), log);
        assertTrue(log.contains("[bench] ignoring --no-ssh"), log);
    }

    /** Writes to two streams. */
    static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public synchronized void write(byte[] bytes, int off, int len) throws IOException {
            a.write(bytes, off, len);
            b.write(bytes, off, len);
        }
    }
}
