package tests.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The solutions' scripts as the tests launch them: through maelstrom.sh, from the repository's root (the cwd). */
public final class Nodes {

    private Nodes() {
    }

    /**
     * Builds the named scripts ahead of the tests ({@code maelstrom.sh --prepare}), so that
     * the first run's nodes do not spend their startup compiling; asserts that it worked.
     */
    public static void prepare(String... names) throws IOException, InterruptedException {
        var command = new ArrayList<>(List.of(Path.of("maelstrom.sh").toAbsolutePath().toString(), "--prepare"));
        command.addAll(List.of(names));
        var build = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertEquals(0, build.waitFor(), "maelstrom.sh --prepare " + String.join(" ", names) + " failed");
    }
}
