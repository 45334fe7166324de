package tests.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The solutions' scripts as the tests launch them: through maelstrom.sh, from the repository's root (the cwd). */
public final class Nodes {

    private Nodes() {
    }

    /**
     * Builds the named scripts (workload names or script paths) ahead of the tests with
     * {@code maelstrom.sh --prepare}, as a user would: a first build takes longer than the
     * 10 s Maelstrom allows for init. Asserts that it worked within five minutes, so that
     * a hung build fails the tests rather than stalling them.
     */
    public static void prepare(String... names) throws IOException, InterruptedException {
        var command = new ArrayList<>(List.of(Path.of("maelstrom.sh").toAbsolutePath().toString(), "--prepare"));
        command.addAll(List.of(names));
        var build = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        boolean ended = build.waitFor(5, TimeUnit.MINUTES);
        if (!ended) {
            build.destroyForcibly();
        }
        assertTrue(ended && build.exitValue() == 0, "maelstrom.sh --prepare " + String.join(" ", names) + " failed");
    }
}
