package bench.net;

import bench.Json;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One node: the --bin program as a real process, wired to the network, started by the
 * command's {@link Spawner}. Lines the node prints on stdout are sent as messages; its stdin
 * writer is its delivery loop, writing each message as its {@link Network.Mailbox} yields
 * it, as Maelstrom's does; its stderr goes to a log file in the run's folder.
 *
 * <p>As in Maelstrom, the first stdout line that is not a well-formed message, or that
 * names a source or destination not on the network, ends the node's output: later
 * lines are read and ignored, and the problem is reported.
 *
 * <p>The nemesis may kill the node and start it again, or pause and resume it. A killed
 * node stays on the network, so messages to it pile up in its mailbox; its restart
 * starts the program again with a fresh mailbox, the piled messages dropped, as
 * Maelstrom's restart installs a fresh queue. Its log goes on in the same file.
 */
public final class NodeProcess {

    /** How many of the last stdout and stderr lines are kept for reports. */
    static final int TAIL = 20;

    /** What the nemesis left the node as. */
    private enum State { RUNNING, PAUSED, KILLED }

    private final String id;
    private final Spawner spawner;
    private final Network network;
    private final Path logFile;
    private final PrintStream echo;
    private final ArrayDeque<String> stdoutTail = new ArrayDeque<>();
    private final ArrayDeque<String> stderrTail = new ArrayDeque<>();
    private final List<String> problems = new ArrayList<>();
    private volatile boolean detached;
    private volatile Life life;
    private State state = State.RUNNING;
    private Duration cpu = Duration.ZERO;

    /**
     * One run of the program, from its start to its death: its process, its stdio and
     * the threads that serve them, and its mailbox.
     */
    private final class Life {
        final Spawner.Spawned spawned;
        final Network.Mailbox mailbox;
        final CompletableFuture<ProcessHandle> exited;
        final List<Thread> threads = new ArrayList<>();
        volatile boolean outputDead;

        Life(Spawner.Spawned spawned) {
            this.spawned = spawned;
            this.exited = spawned.process().onExit();
            this.mailbox = network.open(id, true);
            // Platform threads: a virtual thread blocked reading a pipe holds its carrier,
            // and the scheduler then adds carriers, which costs more than these threads do.
            threads.add(Thread.ofPlatform().daemon().name(id + " stdin").start(this::writeLoop));
            threads.add(Thread.ofPlatform().daemon().name(id + " stdout").start(this::readLoop));
            threads.add(Thread.ofPlatform().daemon().name(id + " stderr").start(this::logLoop));
        }

        private void writeLoop() {
            try (Writer w = new BufferedWriter(new OutputStreamWriter(spawned.stdin(), StandardCharsets.UTF_8))) {
                while (true) {
                    // Flushed only before the loop waits: one write call for a burst.
                    w.write(mailbox.take(w).toLine());
                    w.write('\n');
                }
            } catch (IOException | InterruptedException e) {
                // The process ended, or was killed, or the run is over; crashes are reported by stop().
            }
        }

        private void readLoop() {
            try (BufferedReader r = reader(spawned.stdout())) {
                String line;
                while ((line = r.readLine()) != null) {
                    remember(stdoutTail, line);
                    if (!outputDead && !detached) {
                        route(this, line);
                    }
                }
            } catch (IOException e) {
                // The process ended; crashes are reported by stop().
            }
        }

        private void logLoop() {
            try (BufferedReader r = reader(spawned.stderr());
                 Writer log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                         StandardOpenOption.APPEND)) {
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

        /** The process and every process under it, children first. */
        List<ProcessHandle> tree() {
            List<ProcessHandle> tree = new ArrayList<>(spawned.process().descendants().toList());
            tree.add(spawned.process());
            return tree;
        }

        /**
         * Kills the process tree with SIGKILL, after adding the CPU it used to the node's,
         * and waits for it and its output to end.
         */
        void kill() {
            List<ProcessHandle> tree = tree();
            cpu = cpu.plus(tree.stream().map(h -> h.info().totalCpuDuration().orElse(Duration.ZERO))
                    .reduce(Duration.ZERO, Duration::plus));
            tree.forEach(ProcessHandle::destroyForcibly);
            awaitExit(spawned.process(), Duration.ofSeconds(5));
            try {
                for (Thread t : threads.subList(1, threads.size())) {
                    t.join(Duration.ofSeconds(2));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            threads.getFirst().interrupt();
        }
    }

    private NodeProcess(String id, Spawner spawner, Network network, Path logFile, PrintStream echo) {
        this.id = id;
        this.spawner = spawner;
        this.network = network;
        this.logFile = logFile;
        this.echo = echo;
    }

    /**
     * Starts the program through the command's spawner (so in the system temp dir, the
     * spawner's working directory) and registers the node on the network. With
     * {@code echo}, its stderr lines are also printed there, prefixed with the node id
     * (Maelstrom's --log-stderr).
     *
     * @throws IOException when the program cannot be started
     */
    public static NodeProcess start(String id, Spawner spawner, Network network, Path logFile, PrintStream echo)
            throws IOException {
        NodeProcess node = new NodeProcess(id, spawner, network, logFile, echo);
        node.life = node.newLife();
        return node;
    }

    private Life newLife() throws IOException {
        return new Life(spawner.spawn());
    }

    /** Completes when the current run of the program exits. */
    public CompletableFuture<ProcessHandle> exited() {
        return life.exited;
    }

    /** The node id. */
    public String id() {
        return id;
    }

    /**
     * Kills the node with SIGKILL (a paused one too), leaving it on the network.
     *
     * @return whether it was running or paused, and so was killed
     */
    public synchronized boolean kill() {
        if (state == State.KILLED) {
            return false;
        }
        // Its restart must not hide that it had crashed by itself.
        noteCrash();
        // Its stdin writer stops first: the messages sent to it from now on pile up.
        life.threads.getFirst().interrupt();
        life.kill();
        state = State.KILLED;
        return true;
    }

    /**
     * Starts the program again if the node was killed, with a fresh mailbox; the caller
     * sends it init.
     *
     * @return whether it was killed, and so was started
     * @throws IOException when the program cannot be started
     */
    public synchronized boolean restart() throws IOException {
        if (state != State.KILLED) {
            return false;
        }
        life = newLife();
        state = State.RUNNING;
        return true;
    }

    /**
     * Suspends the node's processes with SIGSTOP if it is running.
     *
     * @return whether it was running, and so was paused
     */
    public synchronized boolean pause() {
        return state == State.RUNNING && signal("STOP", State.PAUSED);
    }

    /**
     * Continues a paused node's processes with SIGCONT.
     *
     * @return whether it was paused, and so was resumed
     */
    public synchronized boolean resume() {
        return state == State.PAUSED && signal("CONT", State.RUNNING);
    }

    private boolean signal(String signal, State after) {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        life.tree().forEach(h -> command.add(Long.toString(h.pid())));
        try {
            Process kill = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            problem("could not be sent SIG" + signal + ": " + e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        state = after;
        return true;
    }

    private void route(Life life, String line) {
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
            life.outputDead = true;
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

    /** CPU time the node's process trees used, each measured when it was killed or stopped. */
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
     * Kills the node and every process under it with SIGKILL, after noting a crash if it
     * had exited without being killed, and takes it off the network.
     */
    public synchronized void stop() {
        network.unregister(id);
        if (state != State.KILLED) {
            noteCrash();
            life.kill();
        }
    }

    /** Notes a crash when the program's current run has ended without the nemesis killing it. */
    private void noteCrash() {
        if (!life.spawned.process().isAlive()) {
            problem("crashed with exit status " + spawner.exitStatus(life.spawned.process()));
        }
    }

    /** Waits up to {@code limit} for a process that is not the bench's child to end. */
    private static void awaitExit(ProcessHandle process, Duration limit) {
        // ProcessHandle.onExit polls a process of another parent every 300 ms and more.
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            while (process.isAlive() && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static BufferedReader reader(InputStream in) {
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
}
