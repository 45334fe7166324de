package tests.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bench.cli.TestCommand;
import bench.cli.TrainingCommand;
import bench.report.Results;
import bench.report.Verdict;
import bench.workload.Workloads;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tests.support.TestLinKv;

/**
 * maelstrom.sh as a new user meets it: a fresh checkout with nothing built, started the
 * way Maelstrom starts nodes (all at once, init within ten seconds, SIGKILL at the end),
 * and node options in the one form Maelstrom passes through, name=value.
 */
class MaelstromShTest {

    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path TEMP = Path.of(System.getProperty("java.io.tmpdir"));
    static final String INIT = "{\"src\":\"c0\",\"dest\":\"n0\",\"body\":{\"type\":\"init\",\"node_id\":\"n0\","
            + "\"node_ids\":[\"n0\"],\"msg_id\":1}}\n";

    @TempDir
    Path scratch;

    /** A checkout of maelstrom.sh, jbang, lib/, the training requests and {@code scripts} at {@code dir}, with nothing built. */
    static Path checkout(Path dir, String... scripts) throws IOException {
        var files = new ArrayList<>(List.of("maelstrom.sh", "jbang", TrainingCommand.FILE));
        files.addAll(List.of(scripts));
        try (Stream<Path> lib = Files.list(ROOT.resolve("lib"))) {
            lib.forEach(f -> files.add("lib/" + f.getFileName()));
        }
        for (String file : files) {
            Files.createDirectories(dir.resolve(file).getParent());
            Files.copy(ROOT.resolve(file), dir.resolve(file), StandardCopyOption.COPY_ATTRIBUTES);
        }
        return dir;
    }

    /** A node started by {@code checkout}'s maelstrom.sh from the temp dir, its stderr in a file. */
    record Started(Process process, Path stderr) {
        static Started start(Path checkout, Path stderr, String... args) throws IOException {
            var command = new ArrayList<>(List.of(checkout.resolve("maelstrom.sh").toString()));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).directory(TEMP.toFile())
                    .redirectError(stderr.toFile()).start();
            return new Started(p, stderr);
        }

        /** Sends init; true when init_ok came back within {@code seconds}. */
        /** Sends init and waits for the first line that is not to lin-kv (a test's own lin-kv answers those). */
        boolean initOkWithin(long seconds) throws Exception {
            var linKv = new TestLinKv();
            var stdin = process.getOutputStream();
            stdin.write(INIT.getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String next; (next = reader.readLine()) != null; ) {
                        String answer = linKv.answer(new ObjectMapper().readTree(next));
                        if (answer == null) return next;
                        stdin.write((answer + "\n").getBytes(StandardCharsets.UTF_8));
                        stdin.flush();
                    }
                    return null;
                } catch (IOException e) {
                    return null;
                }
            }).completeOnTimeout(null, seconds, TimeUnit.SECONDS).get();
            return line != null && line.contains("\"init_ok\"");
        }

        String log() throws IOException {
            return Files.readString(stderr);
        }

        /** SIGKILL to the node and everything it started, harder than Maelstrom, which kills the node alone. */
        void kill() throws InterruptedException {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor();
        }
    }

    /** Waits for the detached training to end, so that nothing keeps running after the test. */
    static void awaitTraining(Path checkout, String name) throws Exception {
        Process p = new ProcessBuilder(checkout.resolve("maelstrom.sh").toString(), "--prepare", name)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0, "prepare after the detached build");
    }

    @Test
    void aFreshCheckoutPasses3dAtTheFirstStartUnderInitsDeadline() throws Exception {
        // 3d's 25 broadcast nodes, started all at once with nothing built: the bench, as
        // Maelstrom, fails a node that has not answered init within ten seconds.
        Path checkout = checkout(scratch.resolve("fresh"), "broadcast.java");
        Results results = TestCommand.run("--challenge", "3d", "--time-limit", "3", "--quiet-period", "2", "--store",
                scratch.resolve("store").toString(), "--bin", checkout.resolve("maelstrom.sh").toString(), "broadcast");
        assertTrue(results.problems().isEmpty(), "node problems: " + results.problems());
        assertEquals(Verdict.Validity.VALID, results.validity(), () -> results.verdict().findings().toString());
        String log = Files.readString(results.options().runDir().resolve("node-logs/n0.log"))
                + Files.readString(results.options().runDir().resolve("node-logs/n1.log"));
        assertTrue(log.contains("with the AOT cache of its short training"), log);
        awaitTraining(checkout, "broadcast");
        Path build = checkout.resolve(".cache/build/broadcast.java");
        assertEquals("full", Files.readAllLines(build.resolve("trained")).get(1), "the full cache replaced the short one");
        // The training runs play lin-kv: a node waiting seconds to name its state folder
        // once made the short training, which the 25 nodes wait for, six seconds long.
        for (String training : List.of("build.log", "train.log")) {
            String trainingLog = Files.readString(build.resolve(training));
            assertFalse(trainingLog.contains("lin-kv did not name"), training + ": " + trainingLog);
        }
    }

    @Test
    void jbangsAnswerIsKeptUntilWhatItDependsOnChanges() throws Exception {
        Path checkout = checkout(scratch.resolve("answer"), "echo.java");
        Path script = checkout.resolve("echo.java");
        assertBuiltAnd(checkout, "JBang asked");
        Files.writeString(script, "\n// a change of the code alone\n", StandardOpenOption.APPEND);
        assertBuiltAnd(checkout, "JBang's answer kept");
        Files.writeString(script, "//DESCRIPTION a directive more\n", StandardOpenOption.APPEND);
        assertBuiltAnd(checkout, "JBang asked");
        Files.writeString(checkout.resolve("lib/Extra.java"), "class Extra {}\n");   // matched by //SOURCES lib/*.java
        assertBuiltAnd(checkout, "JBang asked");
        Files.writeString(checkout.resolve("lib/Extra.java"), "class Extra { int field; }\n");
        assertBuiltAnd(checkout, "JBang's answer kept");
        awaitTraining(checkout, "echo");
    }

    /** Starts an echo node, which builds the script; asserts that it answered and that the build's log says {@code how}. */
    private void assertBuiltAnd(Path checkout, String how) throws Exception {
        Started node = Started.start(checkout, scratch.resolve("node.err"), "echo");
        try {
            assertTrue(node.initOkWithin(30), node.log());
        } finally {
            node.kill();
        }
        String build = Files.readString(checkout.resolve(".cache/build/echo.java/build.log"));
        assertTrue(build.contains("(" + how + ")"), build);
    }

    @Test
    void aBuildOutlivesTheNodeKilledWhileItRan() throws Exception {
        Path checkout = checkout(scratch.resolve("killed"), "echo.java");
        Started first = Started.start(checkout, scratch.resolve("first.err"), "echo");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!first.log().contains("building") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(first.log().contains("it goes on if this node is killed"), first.log());
        assertFalse(Files.exists(checkout.resolve(".cache/build/echo.java/stamp")), "killed before its compile ended");
        first.kill();

        Started second = Started.start(checkout, scratch.resolve("second.err"), "echo");
        try {
            assertTrue(second.initOkWithin(10), "init_ok within Maelstrom's 10 s: " + second.log());
            assertFalse(second.log().contains("building"), "the killed node's build went on: " + second.log());
        } finally {
            second.kill();
        }
        awaitTraining(checkout, "echo");
    }

    @Test
    void aCopiedOrAlteredBuildIsNotUsed() throws Exception {
        Path original = checkout(scratch.resolve("original"), "echo.java");
        awaitTraining(original, "echo");
        // Another checkout path, .cache/ and all: its own build.
        Path copy = scratch.resolve("copy");
        assertEquals(0, new ProcessBuilder("cp", "-a", original.toString(), copy.toString()).inheritIO().start().waitFor());
        assertRebuildsAndAnswers(copy, "copy");
        String build = Files.readString(copy.resolve(".cache/build/echo.java/build.log"));
        assertTrue(build.contains("(JBang asked)"), "the copy's kept answer names the files it was copied from: " + build);
        // A jar of the class path that is gone (a moved JBang or Maven cache): rebuilt.
        Path compiled = copy.resolve(".cache/build/echo.java/compiled");
        List<String> lines = new ArrayList<>(Files.readAllLines(compiled));
        lines.set(4, lines.get(4) + ":" + scratch.resolve("gone.jar"));
        Files.write(compiled, lines);
        assertRebuildsAndAnswers(copy, "gone-jar");
        awaitTraining(copy, "echo");
    }

    private void assertRebuildsAndAnswers(Path checkout, String label) throws Exception {
        Started node = Started.start(checkout, scratch.resolve(label + ".err"), "echo");
        try {
            assertTrue(node.initOkWithin(30), label + ": " + node.log());
            assertTrue(node.log().contains("building " + checkout.resolve("echo.java")), label + ": " + node.log());
        } finally {
            node.kill();
        }
    }

    @Test
    void nodeOptionsAsNameValueReachTheNode() throws Exception {
        // Directly, as Maelstrom runs --bin ./maelstrom.sh broadcast hub-batch=1000.
        Started node = Started.start(ROOT, scratch.resolve("direct.err"), "broadcast", "hub-batch=1000");
        try {
            assertTrue(node.initOkWithin(30), node.log());
            assertTrue(node.log().contains("options: hub-batch=1000"), node.log());
        } finally {
            node.kill();
        }
        // The bench: words after --bin's program, or after a preset, go to every node.
        Results results = TestCommand.run("--challenge", "3a", "--time-limit", "1", "--store",
                scratch.resolve("store").toString(), "hub-batch=1000");
        assertEquals(Verdict.Validity.VALID, results.validity(), () -> results.verdict().findings().toString());
        assertTrue(Files.readString(results.options().runDir().resolve("node-logs/n0.log"))
                .contains("options: hub-batch=1000"));
    }

    @Test
    void runShSplitsHarnessFlagsFromNodeOptions() throws Exception {
        // Under Maelstrom (a stand-in on PATH that records its arguments): flags before
        // --bin, name=value words after the script's name.
        Path bin = Files.createDirectories(scratch.resolve("bin"));
        Path argv = scratch.resolve("argv");
        Path maelstrom = bin.resolve("maelstrom");
        Files.writeString(maelstrom, "#!/bin/sh\nprintf '%s\\n' \"$@\" >'" + argv + "'\n");
        assertTrue(maelstrom.toFile().setExecutable(true));
        var run = new ProcessBuilder(ROOT.resolve("run.sh").toString(), "3e", "--nemesis", "partition", "hub-batch=1000")
                .redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT);
        run.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        run.environment().remove("BENCH");
        assertEquals(0, run.start().waitFor());
        assertEquals(List.of("test", "-w", "broadcast", "--node-count", "25", "--time-limit", "20", "--rate", "100",
                "--latency", "100", "--nemesis", "partition", "--bin", "./maelstrom.sh", "broadcast", "hub-batch=1000"),
                Files.readAllLines(argv));

        // Under the bench, the same words.
        Path store = scratch.resolve("run-sh-store");
        var bench = new ProcessBuilder(ROOT.resolve("run.sh").toString(), "3a", "--time-limit", "1", "--store",
                store.toString(), "hub-batch=1000").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        bench.environment().put("BENCH", "1");
        assertEquals(0, bench.start().waitFor(), "the bench's 3a run is valid");
        assertTrue(Files.readString(store.resolve("latest/node-logs/n0.log")).contains("options: hub-batch=1000"));
    }

    @Test
    void theTrainingRequestsAreTheOnesTheBenchsWorkloadsMake() throws Exception {
        List<String> made = TrainingCommand.lines();
        List<String> kept = Files.readAllLines(TrainingCommand.file(ROOT));
        int same = 0;
        while (same < Math.min(made.size(), kept.size()) && made.get(same).equals(kept.get(same))) same++;
        int firstDifferent = same + 1;
        assertTrue(same == made.size() && same == kept.size(), () -> TrainingCommand.FILE + " is not what the workloads make now, from line "
                + firstDifferent + ": run ./jbang bench.java training > " + TrainingCommand.FILE);
    }

    @Test
    void jbangsFirstFetchPrintsNothingButItsOwnLines() throws Exception {
        // ./jbang with no JBang on PATH and an empty cache fetches JBang's jar with Maven,
        // whose console wrote colour resets on both streams even when neither is a terminal.
        String path = Stream.of(System.getenv("PATH").split(":"))
                .filter(dir -> !Files.isExecutable(Path.of(dir, "jbang"))).reduce((a, b) -> a + ":" + b).orElse("");
        var fetch = new ProcessBuilder(ROOT.resolve("jbang").toString(), "--version").redirectErrorStream(true);
        fetch.environment().put("PATH", path);
        fetch.environment().put("XDG_CACHE_HOME", scratch.resolve("cache").toString());
        Process p = fetch.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
        assertTrue(output.contains("fetching dev.jbang:jbang-cli"), "the jar was fetched: " + output);
        assertFalse(output.contains("\u001b"), "no terminal codes: " + output.replace("\u001b", "ESC"));
    }

    @Test
    void maelstromShServesEveryWorkloadOfTheBenchAndNoOther() throws Exception {
        Process usage = new ProcessBuilder(ROOT.resolve("maelstrom.sh").toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String text = new String(usage.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, usage.waitFor(), text);
        Matcher workloads = Pattern.compile("NAME is a workload \\(([^)]*)\\)").matcher(text);
        assertTrue(workloads.find(), text);
        assertEquals(Workloads.names(), new TreeSet<>(List.of(workloads.group(1).split(" "))));
    }
}
