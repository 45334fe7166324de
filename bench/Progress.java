package bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * A long run's progress: the phase, its elapsed and total time, the operations so far and
 * the faults. On a terminal one line is redrawn in place twice a second; elsewhere (a
 * file, a pipe, CI) a plain line is printed every {@link #PLAIN_EVERY_SECONDS} seconds.
 * The run's other lines go through {@link #println} so that they never land in the
 * middle of the line being redrawn.
 */
public final class Progress implements AutoCloseable {

    /** Seconds between plain progress lines. */
    static final int PLAIN_EVERY_SECONDS = 5;

    private final PrintStream out;
    private final boolean terminal;
    private final IntSupplier ops;
    private final IntSupplier faults;
    private final Thread ticker;
    private volatile String phase = "starting";
    private volatile long phaseStart = System.nanoTime();
    private volatile double phaseSeconds;
    private boolean drawn;

    /**
     * Reports on {@code out}, redrawing in place when {@code terminal}.
     *
     * @param ops    operations completed so far
     * @param faults faults begun so far
     */
    public Progress(PrintStream out, boolean terminal, IntSupplier ops, IntSupplier faults) {
        this.out = out;
        this.terminal = terminal;
        this.ops = ops;
        this.faults = faults;
        this.ticker = Thread.ofVirtual().name("progress").start(this::tick);
    }

    /** Whether this process's stderr is a terminal (Linux: fd 2 is a tty device) and not a dumb one. */
    public static boolean stderrIsTerminal() {
        if ("dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Begins a phase of {@code seconds} (0 when open-ended). */
    public void phase(String name, double seconds) {
        phase = name;
        phaseSeconds = seconds;
        phaseStart = System.nanoTime();
    }

    /** Prints a line of the run's own, clearing the progress line first. */
    public synchronized void println(String line) {
        clear();
        out.println(line);
    }

    /** The progress line as it stands. */
    String line() {
        double elapsed = (System.nanoTime() - phaseStart) / 1e9;
        return String.format(Locale.ROOT, "[bench] %s %.1f%s s · %d ops · %d faults", phase, elapsed,
                phaseSeconds > 0 ? String.format(Locale.ROOT, " / %.1f", phaseSeconds) : "", ops.getAsInt(),
                faults.getAsInt());
    }

    private void tick() {
        try {
            while (true) {
                TimeUnit.MILLISECONDS.sleep(terminal ? 500 : PLAIN_EVERY_SECONDS * 1000L);
                synchronized (this) {
                    if (terminal) {
                        out.print("\r\033[K" + line());
                        out.flush();
                        drawn = true;
                    } else {
                        out.println(line());
                    }
                }
            }
        } catch (InterruptedException e) {
            // The run is over.
        }
    }

    private void clear() {
        if (drawn) {
            out.print("\r\033[K");
            drawn = false;
        }
    }

    /** Stops reporting and clears the line. */
    @Override
    public synchronized void close() {
        ticker.interrupt();
        clear();
        out.flush();
    }
}
