package bench.net;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The one process that starts the nodes of a bench command, restarts included, and lives
 * exactly as long as the command: so every node of every test of one {@code test}
 * command ({@code --test-count N} runs N) has the same parent process, and a node of
 * another command another one, as under Maelstrom, where one JVM runs every test of a
 * command. A node that tells a restart within its test from a new test by its parent
 * (pid and start time) is wrong there and is wrong here. The bench runs many commands
 * in one JVM (the tests, {@code sweep}), so the JVM cannot be the parent.
 *
 * <p>It is a bash loop reading one request a line on its stdin: {@code spawn N} makes
 * three FIFOs N.in, N.out and N.err in the spawner's own temp folder and starts the
 * program in the background with its stdio on them, answering its pid; {@code status
 * PID} answers the exit status of a node that has ended (bash reaps its children and
 * keeps their statuses). It starts in the system temp dir, which its children inherit
 * as their working directory.
 */
public final class Spawner implements AutoCloseable {

    /** Stdio in the order bash opens it ({@code <in >out 2>err}), which the bench must follow or both block. */
    private static final String LOOP = """
            dir=$1; shift
            while read -r verb arg; do
              case $verb in
                spawn)
                  if mkfifo "$dir/$arg.in" "$dir/$arg.out" "$dir/$arg.err"; then
                    "$@" <"$dir/$arg.in" >"$dir/$arg.out" 2>"$dir/$arg.err" &
                    echo "$!"
                  else
                    echo -1
                  fi ;;
                status) wait "$arg"; echo "$?" ;;
              esac
            done
            """;

    /**
     * One started program: its process and the bench's ends of its stdio.
     *
     * @param process the program's process (a child of the spawner, not of the bench)
     * @param stdin   what the bench writes to the program
     * @param stdout  what the program prints
     * @param stderr  what the program logs
     */
    public record Spawned(ProcessHandle process, OutputStream stdin, InputStream stdout, InputStream stderr) {
    }

    private final Process loop;
    private final Path fifos;
    private final Writer requests;
    private final BufferedReader answers;
    /** How many programs it has started: each start's FIFOs are named by its number. */
    private int started;

    /**
     * Starts the spawner for {@code command} (the program and its words).
     *
     * @throws IOException when bash cannot be started
     */
    public Spawner(List<String> command) throws IOException {
        fifos = Files.createTempDirectory("bench-nodes");
        List<String> words = new ArrayList<>(List.of("bash", "-c", LOOP, "spawner", fifos.toString()));
        words.addAll(command);
        loop = new ProcessBuilder(words).directory(Path.of(System.getProperty("java.io.tmpdir")).toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        requests = loop.outputWriter(StandardCharsets.UTF_8);
        answers = loop.inputReader(StandardCharsets.UTF_8);
    }

    /** The spawner's own process: the parent of every node it starts. */
    public ProcessHandle process() {
        return loop.toHandle();
    }

    /**
     * Starts the program once more and opens the bench's ends of its stdio.
     *
     * @throws IOException when the spawner could not start it
     */
    public synchronized Spawned spawn() throws IOException {
        String name = Integer.toString(started++);
        long pid = Long.parseLong(ask("spawn " + name));
        ProcessHandle process = pid < 0 ? null : ProcessHandle.of(pid).orElse(null);
        if (process == null) {
            throw new IOException(pid < 0 ? "could not make its FIFOs in " + fifos : "it ended at once");
        }
        Path in = fifos.resolve(name + ".in"), out = fifos.resolve(name + ".out"), err = fifos.resolve(name + ".err");
        // A program that dies before opening its side would leave the bench blocked in
        // open(); opening each FIFO read-write, which never blocks, releases that open.
        var release = process.onExit().thenRun(() -> Stream.of(in, out, err).forEach(Spawner::touch));
        OutputStream stdin = new FileOutputStream(in.toFile());
        InputStream stdout = new FileInputStream(out.toFile());
        InputStream stderr = new FileInputStream(err.toFile());
        release.cancel(false);
        return new Spawned(process, stdin, stdout, stderr);
    }

    private static void touch(Path fifo) {
        try {
            new RandomAccessFile(fifo.toFile(), "rw").close();
        } catch (IOException e) {
            System.err.println("[bench] could not release " + fifo + ": " + e.getMessage());
        }
    }

    /**
     * The exit status of a program it started that has ended, or -1 when it is unknown.
     * Must not be asked of one still running: the spawner would wait for it.
     */
    public synchronized int exitStatus(ProcessHandle process) {
        try {
            return Integer.parseInt(ask("status " + process.pid()));
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private String ask(String request) throws IOException {
        requests.write(request + "\n");
        requests.flush();
        String answer = answers.readLine();
        if (answer == null) {
            throw new IOException("the spawner has ended");
        }
        return answer.trim();
    }

    /**
     * Ends the spawner (its stdin closes, its loop ends) after the nodes are stopped, with
     * SIGKILL if it lingers, and deletes its FIFOs.
     */
    @Override
    public void close() {
        try {
            requests.close();
            if (!loop.waitFor(2, TimeUnit.SECONDS)) {
                loop.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            loop.destroyForcibly();
        } catch (InterruptedException e) {
            loop.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.list(fifos)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(fifos);
        } catch (IOException e) {
            System.err.println("[bench] could not delete " + fifos + ": " + e.getMessage());
        }
    }
}
