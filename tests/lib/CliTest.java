package tests.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import lib.Cli;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Options set without picocli: Cli reads the option names from the script's class file,
 * so this holds it to what the annotations say, in every shape an {@code @Option} takes.
 * Each case runs in a JVM of its own, since picocli, where Cli hands it the words, exits.
 */
class CliTest {

    enum Mode { FAST, CAREFUL }

    /** A script with an option of every kind Cli sets itself; it prints what it got. */
    @Command(name = "options", mixinStandardHelpOptions = true)
    static class Options implements Runnable {
        @Option(names = "--count") int count = 1;
        @Option(names = {"-w", "--window"}, paramLabel = "MS", arity = "1", description = "with other elements")
        long window = 2;
        @Deprecated
        @Option(description = "names after another element", names = "--ratio") double ratio = 0.5;
        @Option(names = "--label") String label = "a";
        @Option(names = "--mode") Mode mode = Mode.FAST;
        long notAnOption = 7;

        public static void main(String... args) {
            Cli.run(new Options(), args);
        }

        @Override
        public void run() {
            System.out.println(count + " " + window + " " + ratio + " " + label + " " + mode + " " + notAnOption);
        }
    }

    private record Run(String out, String log, int exit) {}

    private static Run run(String... words) throws Exception {
        var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Options.class.getName()));
        command.addAll(List.of(words));
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        String log = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(out, log, p.waitFor());
    }

    @Test
    void setsEveryKindOfOptionInEveryFormItself() throws Exception {
        Run run = run("count=3", "--window", "40", "--ratio=0.25", "label=b", "mode=careful");
        assertEquals(0, run.exit(), run.log());
        assertEquals("3 40 0.25 b CAREFUL 7", run.out());
        // Logged by Cli's own path: had picocli set them, there would be no such line.
        assertTrue(run.log().contains("options: count=3 window=40 ratio=0.25 label=b mode=CAREFUL"), run.log());
    }

    @Test
    void withoutWordsTheScriptRunsOnItsDefaults() throws Exception {
        Run run = run();
        assertEquals("1 2 0.5 a FAST 7", run.out());
        assertEquals("", run.log());
    }

    @Test
    void aFieldThatIsNoOptionOrAShortNameGoesToPicocli() throws Exception {
        Run field = run("notAnOption=9");
        assertEquals(2, field.exit());
        assertTrue(field.log().contains("Unknown option: '--notAnOption=9'"), field.log());
        Run shortName = run("-w", "40");
        assertEquals("1 40 0.5 a FAST 7", shortName.out()); // picocli set it
        assertTrue(!shortName.log().contains("options:"), shortName.log());
    }
}
