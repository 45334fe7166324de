package tests.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's recipe for a node of one's own, as a newcomer follows it in a fresh
 * checkout: the catalog's template writes a script on lib/ that the bench judges valid
 * under the echo workload at once, built by maelstrom.sh like any other script.
 */
class OwnNodeTemplateTest {

    static final Path ROOT = Path.of("").toAbsolutePath();
    /** The README's commands, word for word. */
    static final List<String> INIT = List.of("./jbang", "init", "-t", "node", "mynode.java");
    static final List<String> BENCH = List.of("./jbang", "bench.java", "test", "-w", "echo", "--bin", "./maelstrom.sh",
            "mynode.java", "--node-count", "1", "--time-limit", "10");

    @TempDir
    Path scratch;

    @Test
    void theTemplatesNodeIsValidUnderTheBenchInAFreshCheckout() throws Exception {
        Path checkout = trackedFilesCopy(scratch.resolve("checkout"));
        assertFalse(Files.exists(checkout.resolve("mynode.java")), "the template's output is not part of the repository");

        run(checkout, INIT, 2);
        Path script = checkout.resolve("mynode.java");
        String text = Files.readString(script);
        assertTrue(Files.isExecutable(script), "a JBang script, as the others");
        assertTrue(text.contains("\n//SOURCES lib/*.java\n"), text);
        assertTrue(text.lines().noneMatch(line -> line.startsWith("//JAVA ") || line.startsWith("//DEPS ")),
                "versions come from lib/package-info.java alone: " + text);
        Matcher description = ScriptHeadersTest.DESCRIPTION.matcher(text);
        Matcher command = ScriptHeadersTest.COMMAND_DESCRIPTION.matcher(text);
        assertTrue(description.find() && command.find(), text);
        assertEquals(description.group(1), command.group(1), "the //DESCRIPTION is the help's description");

        try {
            run(checkout, BENCH, 5);
            String results = Files.readString(checkout.resolve("store/latest/results.json"));
            assertEquals("valid", NodeHarness.JSON.readTree(results).get("valid").asText(), results);
        } finally {
            MaelstromShTest.awaitTraining(checkout, script.toString());
        }
    }

    /** The repository's tracked files, as they are in the working tree, copied to {@code dir}: a fresh clone of them. */
    static Path trackedFilesCopy(Path dir) throws IOException, InterruptedException {
        Process git = new ProcessBuilder("git", "ls-files", "-z").directory(ROOT.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String listing = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, git.waitFor(), "git ls-files");
        for (String file : listing.split("\0")) {
            if (file.isEmpty() || !Files.isRegularFile(ROOT.resolve(file))) continue;  // deleted, not yet committed
            Files.createDirectories(dir.resolve(file).getParent());
            Files.copy(ROOT.resolve(file), dir.resolve(file), StandardCopyOption.COPY_ATTRIBUTES);
        }
        return dir;
    }

    /** Runs {@code command} in {@code dir}, its output on the test's, and asserts it exits with 0. */
    static void run(Path dir, List<String> command, int minutes) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        boolean ended = p.waitFor(minutes, TimeUnit.MINUTES);
        if (!ended) p.destroyForcibly().waitFor();
        assertTrue(ended && p.exitValue() == 0, String.join(" ", command) + (ended ? " exited with " + p.exitValue() : " timed out"));
    }
}
