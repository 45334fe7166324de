package tests.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bench.Progress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The progress of a run: one line redrawn in place on a terminal, plain lines elsewhere. */
class ProgressTest {

    static String shown(boolean terminal, long millis) throws InterruptedException {
        var bytes = new ByteArrayOutputStream();
        var out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (var progress = new Progress(out, terminal, () -> 7, () -> 2)) {
            progress.phase("main", 20);
            TimeUnit.MILLISECONDS.sleep(millis);
            progress.println("[bench] a line of the run's own");
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void onATerminalOneLineIsRedrawnInPlace() throws InterruptedException {
        String shown = shown(true, 1600);
        assertTrue(shown.matches("(?s)(\r\033\\[K\\[bench] main \\d+\\.\\d / 20\\.0 s · 7 ops · 2 faults){2,}"
                + "\r\033\\[K\\[bench] a line of the run's own\n"), shown);
    }

    @Test
    void elsewhereItPrintsPlainLines() throws InterruptedException {
        String shown = shown(false, 7000);
        assertFalse(shown.contains("\r") || shown.contains("\033"), shown);
        assertTrue(shown.matches("(?s)(\\[bench] main \\d+\\.\\d / 20\\.0 s · 7 ops · 2 faults\n)+"
                + "\\[bench] a line of the run's own\n"), shown);
    }
}
