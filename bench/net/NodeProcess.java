package bench.net;

import bench.Json;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One node: the --bin program as a real process, wired to the network. Lines the node
 * prints on stdout are sent as messages; its stdin writer is its delivery loop, writing
 * each message as its {@link Network.Mailbox} yields it, as Maelstrom's does; its
 * stderr goes to a log file in the run's folder.
 *
 * <p>As in Maelstrom, the first stdout line that is not a well-formed message, or that
 * names a source or destination not on the network, ends the node's output: later
 * lines are read and ignored, and the problem is reported.
 */
public final class NodeProcess {

    /** How many of the last stdout and stderr lines are kept for reports. */
    static final int TAIL = 20;

    private final String id;
    private final Process process;
    private final Network network;
    private final Path logFile;
    private final CompletableFuture<Process> exited;
    private final PrintStream echo;
    private final Network.Mailbox mailbox;
    private final ArrayDeque<String> stdoutTail = new ArrayDeque<>();
    private final ArrayDeque<String> stderrTail = new ArrayDeque<>();
    private final List<String> problems = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean outputDead;
    private volatile boolean detached;
    private Duration cpu = Duration.ZERO;

    private NodeProcess(String id, Process process, Network network, Path logFile, PrintStream echo) {
        this.id = id;
        this.process = process;
        this.network = network;
        this.logFile = logFile;
        this.echo = echo;
        this.exited = process.onExit();
        this.mailbox = network.open(id, true);
    }

    /**
     * Starts the program with the system temp dir as working directory and registers the
     * node on the network. With {@code echo}, its stderr lines are also printed there,
     * prefixed with the node id (Maelstrom's --log-stderr).
     *
     * @throws IOException when the program cannot be started
     */
    public static NodeProcess start(String id, Path bin, List<String> args, Network network, Path logFile,
                                    PrintStream echo) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(bin.toString());
        command.addAll(args);
        Process p = new ProcessBuilder(command)
                .directory(Path.of(System.getProperty("java.io.tmpdir")).toFile())
                .start();
        NodeProcess node = new NodeProcess(id, p, network, logFile, echo);
        // Platform threads: a virtual thread blocked reading a pipe holds its carrier,
        // and the scheduler then adds carriers, which costs more than these threads do.
        node.threads.add(Thread.ofPlatform().daemon().name(id + " stdin").start(node::writeLoop));
        node.threads.add(Thread.ofPlatform().daemon().name(id + " stdout").start(node::readLoop));
        node.threads.add(Thread.ofPlatform().daemon().name(id + " stderr").start(node::logLoop));
        return node;
    }

    /** Completes when the process exits. */
    public CompletableFuture<Process> exited() {
        return exited;
    }

    /** The node id. */
    public String id() {
        return id;
    }

    private void writeLoop() {
        try (Writer w = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8))) {
            while (true) {
                // Flushed only before the loop waits: one write call for a burst.
                w.write(mailbox.take(w).toLine());
                w.write('\n');
            }
        } catch (IOException | InterruptedException e) {
            // The process ended or the run is over; crashes are reported by stop().
        }
    }

    private void readLoop() {
        try (BufferedReader r = process.inputReader(StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                remember(stdoutTail, line);
                if (!outputDead && !detached) {
                    route(line);
                }
            }
        } catch (IOException e) {
            // The process ended; crashes are reported by stop().
        }
    }

    private void route(String line) {
        Header header;
        try {
            header = Header.read(line);
        } catch (IOException e) {
            header = new Header(null, null, false, "not JSON");
        }
        String why = header.malformed();
        if (why == null) {
            boolean sent = header.hasId()
                    // The message's own id would clash with the one the network adds.
                    ? network.send(header.src(), header.dest(), Json.bodyOf(line))
                    : network.forward(header.src(), header.dest(), line);
            if (!sent) {
                why = network.knows(header.src()) ? "unknown destination " + header.dest() : "unknown source " + header.src();
            }
        }
        if (why != null) {
            outputDead = true;
            problem("printed a line that is not a valid message (" + why + "); its output is ignored from then on, "
                    + "as Maelstrom does: " + abbreviate(line));
        }
    }

    /**
     * What the network needs from a line a node printed, read with the streaming parser:
     * the body is checked to be well-formed JSON but not built into a tree.
     *
     * @param src       the sender named in the line
     * @param dest      the receiver named in the line
     * @param hasId     whether the line carries an "id" of its own
     * @param malformed why the line is not a Maelstrom message, or null when it is one
     */
    public record Header(String src, String dest, boolean hasId, String malformed) {

        private static Header bad(String why) {
            return new Header(null, null, false, why);
        }

        /**
         * Reads and checks a line as Maelstrom does: a JSON object with string src and
         * dest, an object (or null) body, an optional integer id, and nothing else.
         *
         * @throws IOException when the line is not JSON
         */
        public static Header read(String line) throws IOException {
            try (JsonParser p = Json.MAPPER.getFactory().createParser(line)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    return bad("not a JSON object");
                }
                String src = null, dest = null;
                boolean body = false, id = false;
                for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    switch (name) {
                        case "src", "dest" -> {
                            if (value != JsonToken.VALUE_STRING) {
                                return bad("src and dest must be strings");
                            }
                            if (name.equals("src")) {
                                src = p.getText();
                            } else {
                                dest = p.getText();
                            }
                        }
                        case "body" -> {
                            if (value != JsonToken.START_OBJECT && value != JsonToken.VALUE_NULL) {
                                return bad("body must be an object");
                            }
                            p.skipChildren();
                            body = true;
                        }
                        case "id" -> {
                            if (value != JsonToken.VALUE_NUMBER_INT) {
                                return bad("id must be an integer");
                            }
                            id = true;
                        }
                        default -> {
                            return bad("unexpected key " + name);
                        }
                    }
                }
                if (src == null || dest == null || !body) {
                    return bad("src, dest and body are required");
                }
                return new Header(src, dest, id, null);
            }
        }
    }

    private void logLoop() {
        try (BufferedReader r = process.errorReader(StandardCharsets.UTF_8);
             Writer log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                remember(stderrTail, line);
                if (echo != null) {
                    echo.println(id + " " + line);
                }
                log.write(line);
                log.write('\n');
                if (!r.ready()) {
                    log.flush();
                }
            }
        } catch (IOException e) {
            problem("its log could not be written to " + logFile + ": " + e.getMessage());
        }
    }

    private void remember(ArrayDeque<String> tail, String line) {
        synchronized (tail) {
            if (tail.size() == TAIL) {
                tail.removeFirst();
            }
            tail.addLast(line);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }

    /** Records a problem with this node for the report. */
    public void problem(String text) {
        synchronized (problems) {
            problems.add(text);
        }
    }

    /** The problems found so far. */
    public List<String> problems() {
        synchronized (problems) {
            return List.copyOf(problems);
        }
    }

    /** The last lines the node printed on stderr. */
    public List<String> lastLogLines() {
        synchronized (stderrTail) {
            return List.copyOf(stderrTail);
        }
    }

    /** CPU time the node's process tree used, as measured when it was stopped. */
    public Duration cpu() {
        return cpu;
    }

    /**
     * Stops routing the node's output. Called on every node before any is stopped, so
     * that a node sending to one already gone is not blamed for it.
     */
    public void detach() {
        detached = true;
    }

    /**
     * Kills the node and every process under it with SIGKILL, after noting a crash if
     * it had already exited, and takes it off the network.
     */
    public void stop() {
        network.unregister(id);
        if (!process.isAlive()) {
            problem("crashed with exit status " + process.exitValue());
        }
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        cpu = tree.stream().map(h -> h.info().totalCpuDuration().orElse(Duration.ZERO))
                .reduce(Duration.ZERO, Duration::plus);
        tree.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(5, TimeUnit.SECONDS);
            for (Thread t : threads.subList(1, threads.size())) {
                t.join(Duration.ofSeconds(2));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        threads.getFirst().interrupt();
    }
}
