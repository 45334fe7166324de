package tests.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bench.Json;
import bench.cli.TestCommand;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tests.support.Nodes;
import tests.support.ShortRuns;

/**
 * {@code --test-count N} as Maelstrom runs it (Jepsen's single-test-cmd): N tests one after
 * another, each with fresh services and node processes and a folder of its own, stopping
 * at the first that is not valid, with Maelstrom's exit code; and every node of every
 * test a child of one process, as Maelstrom's nodes are all children of its JVM, so that
 * a node keeping its state by its parent process fails here as it fails there.
 */
class TestCountTest {

    static final String BROKEN = "tests/broken/counter-keyed-by-parent.java";

    /** The test folders of a store's workload, oldest first. */
    static List<Path> testFolders(Path store, String workload) throws IOException {
        try (Stream<Path> folders = Files.list(store.resolve(workload))) {
            return folders.sorted().toList();
        }
    }

    static JsonNode results(Path folder) throws IOException {
        return Json.MAPPER.readTree(folder.resolve("results.json").toFile());
    }

    /** The "parent PID START" lines echo-parent logged in a test folder, one per start of a node. */
    static Set<String> parents(Path folder) throws IOException {
        var parents = new ArrayList<String>();
        try (Stream<Path> logs = Files.list(folder.resolve("node-logs"))) {
            for (Path log : logs.toList()) {
                Files.readAllLines(log).stream().filter(line -> line.startsWith("parent ")).forEach(parents::add);
            }
        }
        return Set.copyOf(parents);
    }

    @Test
    void threeTestsOfAStatelessNodeAreThreeValidTestsInThreeFoldersWhoseNodesShareAParent() throws Exception {
        Path store = Files.createTempDirectory("bench-test");
        int exit = ShortRuns.exitCode(store, "echo", CrashTest.PARENT, "--node-count", "2", "--time-limit", "1",
                "--test-count", "3");
        assertEquals(0, exit, "three valid tests");
        List<Path> folders = testFolders(store, "echo");
        assertEquals(3, folders.size(), "a folder per test: " + folders);
        var seeds = new ArrayList<Long>();
        for (Path folder : folders) {
            JsonNode results = results(folder);
            assertEquals("valid", results.get("valid").asText(), folder.toString());
            assertTrue(results.get("ops").get("ok").asInt() > 0, "each test ran its own operations: " + folder);
            seeds.add(results.get("test").get("seed").asLong());
        }
        assertEquals(3, Set.copyOf(seeds).size(), "each test draws its own seed: " + seeds);
        assertEquals(folders.getLast(), store.resolve(Files.readSymbolicLink(store.resolve("latest"))).normalize()
                .toAbsolutePath(), "store/latest is the last test");

        Set<String> parent = folders.stream().flatMap(f -> {
            try {
                return parents(f).stream();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).collect(Collectors.toSet());
        assertEquals(1, parent.size(), "every node of every test has one parent: " + parent);
        long pid = Long.parseLong(parent.iterator().next().split(" ")[1]);
        assertNotEquals(ProcessHandle.current().pid(), pid, "not the bench's JVM, which outlives the command");
        assertTrue(ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), "the parent ended with the command");
    }

    @Test
    void aNodeThatKeepsItsStateByItsParentProcessIsRejectedInTheSecondTest() throws Exception {
        Path store = Files.createTempDirectory("bench-test");
        try {
            int exit = ShortRuns.exitCode(store, "g-counter", BROKEN, "--node-count", "1", "--test-count", "3");
            assertEquals(1, exit, "Maelstrom's exit code for an invalid test");
            List<Path> folders = testFolders(store, "g-counter");
            assertEquals(2, folders.size(), "stopped at the first invalid test: " + folders);
            JsonNode first = results(folders.getFirst());
            assertEquals("valid", first.get("valid").asText(), "the first test starts empty");
            assertTrue(first.get("workload").get("acknowledged-sum").asLong() > 0, "and counts some adds: " + first);
            JsonNode second = results(folders.getLast());
            assertEquals("invalid", second.get("valid").asText());
            assertTrue(second.get("workload").get("findings").get(0).asText().contains("final read"), second.toString());
            assertTrue(second.get("problems").isEmpty(), "the checker rejected it, not a crash: " + second);
        } finally {
            deleteJournals(store);
        }

        Path own = Files.createTempDirectory("bench-test");
        try {
            for (int i = 0; i < 2; i++) {
                assertEquals(0, ShortRuns.exitCode(own, "g-counter", BROKEN, "--node-count", "1"),
                        "each test a command of its own, a parent of its own: valid");
            }
        } finally {
            deleteJournals(own);
        }
    }

    @Test
    void aPresetRunsItsTestsJudgedOnItsCriteria() throws Exception {
        Nodes.prepare("echo");
        Path store = Files.createTempDirectory("bench-test");
        int exit = new CommandLine(new TestCommand()).setOverwrittenOptionsAllowed(true).execute("--challenge", "1",
                "--time-limit", "1", "--test-count", "2", "--store", store.toString());
        assertEquals(0, exit, "part 1 passed twice");
        assertEquals(2, testFolders(store, "echo").size());
    }

    @Test
    void aTestOfUnknownValidityEndsTheCommandWithTwo() throws Exception {
        Path store = Files.createTempDirectory("bench-test");
        // Without requests nothing is broadcast, so set-full has no stable value: unknown.
        int exit = ShortRuns.exitCode(store, "broadcast", "tests/broken/broadcast-no-gossip.java", "--node-count", "1",
                "--rate", "0", "--time-limit", "0", "--quiet-period", "0", "--test-count", "2");
        assertEquals(2, exit, "Maelstrom's exit code for an unknown test");
        List<Path> folders = testFolders(store, "broadcast");
        assertEquals(1, folders.size(), "no second test: " + folders);
        assertEquals("unknown", results(folders.getFirst()).get("valid").asText());
    }

    /** Removes the journals the broken counter names in its first log line. */
    static void deleteJournals(Path store) throws IOException {
        if (!Files.isDirectory(store.resolve("g-counter"))) {
            return;
        }
        for (Path folder : testFolders(store, "g-counter")) {
            Path log = folder.resolve("node-logs/n0.log");
            if (Files.exists(log)) {
                for (String line : Files.readAllLines(log)) {
                    if (line.startsWith("journal ")) {
                        Files.deleteIfExists(Path.of(line.substring("journal ".length())));
                    }
                }
            }
        }
    }
}
