package tests.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each fact of the scripts' JBang headers has one owner: the JDK and dependency versions
 * live in lib/package-info.java alone (JBang merges the directives of sourced files), the
 * bench's own dependencies, which no node may load, in bench/view/package-info.java, and
 * a script's description, its //DESCRIPTION line, is what its picocli help and the
 * catalog say too.
 */
class ScriptHeadersTest {

    static final Path ROOT = Path.of("").toAbsolutePath();
    /** The project's own tools, whose help describes their subcommands rather than the script. */
    static final List<String> TOOLS = List.of("bench", "tests");
    static final Path VERSIONS = Path.of("lib/package-info.java");
    /** The bench's own dependencies: every file under bench/ is sourced by bench.java and tests.java, none by a node. */
    static final Path BENCH_VERSIONS = Path.of("bench/view/package-info.java");
    static final Pattern DESCRIPTION = Pattern.compile("^//DESCRIPTION (.*)$", Pattern.MULTILINE);
    static final Pattern COMMAND_DESCRIPTION =
            Pattern.compile("^@Command\\(name = \"[^\"]+\"[^)]*?description = \"((?:[^\"\\\\]|\\\\.)*)\"\\)", Pattern.MULTILINE | Pattern.DOTALL);

    static List<Path> javaFiles() throws IOException {
        var files = new ArrayList<Path>();
        for (String dir : List.of(".", "lib", "bench", "tests")) {
            try (Stream<Path> found = Files.walk(ROOT.resolve(dir), dir.equals(".") ? 1 : Integer.MAX_VALUE)) {
                found.filter(p -> p.toString().endsWith(".java")).map(ROOT::relativize).forEach(files::add);
            }
        }
        return files;
    }

    @Test
    void versionsAreDeclaredOnce() throws IOException {
        var stray = new ArrayList<String>();
        for (Path file : javaFiles()) {
            if (file.equals(VERSIONS)) continue;
            boolean benchOnly = file.equals(BENCH_VERSIONS);
            for (String line : Files.readAllLines(ROOT.resolve(file))) {
                boolean junit = file.equals(Path.of("tests.java")) && line.startsWith("//DEPS org.junit.platform:");
                if ((line.startsWith("//JAVA ") || line.startsWith("//DEPS ")) && !junit && !(benchOnly && line.startsWith("//DEPS ")))
                    stray.add(file + ": " + line);
            }
        }
        assertEquals(List.of(), stray, "versions belong in " + VERSIONS);
        String versions = Files.readString(ROOT.resolve(VERSIONS));
        assertTrue(versions.contains("//JAVA ") && versions.contains("//DEPS com.fasterxml.jackson.core:jackson-databind:"));
        assertTrue(Files.readString(ROOT.resolve("bench.java")).contains("//SOURCES " + VERSIONS + " "), "the bench takes them too");
        for (Path script : javaFiles()) {
            boolean node = script.getParent() == null && !List.of("bench.java", "tests.java").contains(script.toString())
                    || script.startsWith("tests/broken") || script.startsWith("tests/fixtures");
            boolean sourcesBench = Files.readAllLines(ROOT.resolve(script)).stream()
                    .anyMatch(line -> line.startsWith("//SOURCES ") && line.contains("bench/"));
            assertTrue(!node || !sourcesBench, script + " is a node: it must not source bench/ and load the bench's dependencies");
        }
    }

    @Test
    void eachScriptIsDescribedOnceTheSameEverywhere() throws IOException {
        JsonNode aliases = NodeHarness.JSON.readTree(ROOT.resolve("jbang-catalog.json").toFile()).get("aliases");
        var scripted = new ArrayList<String>();
        for (Map.Entry<String, JsonNode> alias : aliases.properties()) {
            Path script = ROOT.resolve(alias.getValue().get("script-ref").asText());
            scripted.add(script.getFileName().toString());
            String text = Files.readString(script);
            assertTrue(Files.isExecutable(script), script + " is executable, as a JBang script");
            Matcher description = DESCRIPTION.matcher(text);
            assertTrue(description.find(), script + " has a //DESCRIPTION");
            assertEquals(description.group(1), alias.getValue().get("description").asText(), "catalog: " + alias.getKey());
            if (!TOOLS.contains(alias.getKey())) {
                Matcher command = COMMAND_DESCRIPTION.matcher(text);
                assertTrue(command.find(), script + " has a picocli @Command with a description");
                assertEquals(description.group(1), command.group(1).replace("\\\"", "\""), "@Command: " + script);
            }
        }
        for (Path file : javaFiles()) {
            boolean topLevelScript = file.getParent() == null
                    && Files.readString(ROOT.resolve(file)).startsWith("///usr/bin/env jbang");
            assertTrue(!topLevelScript || scripted.contains(file.toString()), file + " has a catalog alias");
        }
    }
}
