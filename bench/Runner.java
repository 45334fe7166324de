package bench;

import bench.nemesis.CombinedNemesis;
import bench.nemesis.NemesisEvent;
import bench.nemesis.Target;
import bench.net.Client;
import bench.net.NetLog;
import bench.net.Network;
import bench.net.NodeProcess;
import bench.net.Spawner;
import bench.report.Results;
import bench.report.Verdict;
import bench.service.Services;
import bench.view.Charts;
import bench.view.Faults;
import bench.view.MessageJournal;
import bench.view.Pictures;
import bench.view.RunTrace;
import bench.workload.Workload;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import lib.RpcError;

/**
 * Runs one test the way Maelstrom does: start every node at once, init them, let the
 * workload set up, run clients at the requested rate while the nemesis cuts the
 * network and kills or pauses nodes, then (for workloads with a final phase) heal,
 * wait, and make the final requests; kill the nodes and judge the history.
 *
 * <p>The nodes, restarts included, are started by the {@link Spawner} the caller passes,
 * which lives as long as the bench command: every test of a {@code --test-count} has
 * fresh services and fresh node processes, but the same parent process, as Maelstrom
 * runs every test of a command in one JVM.
 */
public final class Runner {

    /** Maelstrom's deadline for init_ok. */
    static final Duration INIT_TIMEOUT = Duration.ofSeconds(10);

    private final Options options;
    private final Options.Program program;
    private final Options.Load load;
    private final Workload workload;
    private final PrintStream log;
    private final Spawner spawner;
    private final Random opsRandom;
    private final Random nemesisRandom;
    private final Random processRandom;
    private final Network network;
    private final List<String> nodeIds;
    private final AtomicInteger nextClient = new AtomicInteger();
    /** Every request as an operation: what the checker judges. */
    private final ConcurrentLinkedQueue<Op> history = new ConcurrentLinkedQueue<>();
    /** Maelstrom's operations (a request with its continuations as one): what the results count. */
    private final ConcurrentLinkedQueue<Op> operations = new ConcurrentLinkedQueue<>();
    private final AtomicInteger completed = new AtomicInteger();
    private final MessageJournal journal = new MessageJournal();
    private final Progress progress;
    /** The nemesis of the main phase, or null without --nemesis. */
    private CombinedNemesis nemesis;
    /** The nodes by id, in order. */
    private final Map<String, NodeProcess> nodes = new LinkedHashMap<>();
    private final List<String> runProblems = Collections.synchronizedList(new ArrayList<>());
    private final List<Worker> workers = new ArrayList<>();
    private final boolean reusableClient;
    private final Duration requestTimeout;
    private long start;
    /** The thread that warms the charts up while the run waits, or null before it starts. */
    private Thread chartWarmUp;
    private volatile long chartWarmUpCpuNanos;

    private Runner(Options options, Workload workload, Spawner spawner, PrintStream log) {
        this.options = options;
        this.program = options.program();
        this.load = options.load();
        this.workload = workload;
        this.log = log;
        this.spawner = spawner;
        Random seeds = new Random(options.seed());
        this.opsRandom = new Random(seeds.nextLong());
        this.nemesisRandom = new Random(seeds.nextLong());
        Random latencyRandom = new Random(seeds.nextLong());
        Random serviceRandom = new Random(seeds.nextLong());
        // Drawn last, so that the other seeds stay what they were before kills and pauses.
        this.processRandom = new Random(seeds.nextLong());
        this.network = new Network(new Network.Latency(options.cluster().latencyMillis(), options.cluster().latencyDist(),
                latencyRandom));
        Options.Logs logs = options.logs();
        network.journal(logs.netSend() || logs.netRecv() ? new NetLog(journal, log, logs.netSend(), logs.netRecv())
                : journal);
        Services.start(network, serviceRandom);
        this.progress = new Progress(log, log == System.err && Progress.stderrIsTerminal(), completed::get,
                () -> nemesis == null ? 0 : (int) nemesis.events().stream().filter(Runner::startsAFault).count());
        this.nodeIds = options.nodes();
        this.reusableClient = workload.reusableClient();
        this.requestTimeout = workload.requestTimeout();
    }

    /**
     * Runs a test with fresh services and nodes that {@code spawner} starts (it must run
     * {@code options.program()}); the nodes' logs go into {@code options.runDir()}, and the
     * caller decides where the results go ({@link Results#write()}).
     *
     * @param log where progress lines go, and what {@code options.logs()} asks for
     * @throws IOException when the run's folder cannot be made
     */
    public static Results run(Options options, Workload workload, Spawner spawner, PrintStream log)
            throws IOException {
        Runner runner = new Runner(options, workload, spawner, log);
        try (runner.network; runner.progress) {
            return runner.run();
        }
    }

    private Results run() throws IOException {
        Path logs = options.runDir().resolve("node-logs");
        Files.createDirectories(logs);
        long cpuBefore = processCpuNanos();
        long began = System.nanoTime();
        progress.phase("init", Runner.INIT_TIMEOUT.toSeconds());
        if (!workload.hasFinalPhase()) {
            // No quiet period to warm the charts up in: the nodes' start is the next best,
            // when the bench only waits and nothing is measured.
            warmUpCharts();
        }
        startNodes(logs);
        boolean ready = nodes.size() == nodeIds.size() && init();
        if (ready) {
            progress.phase("setup", 0);
            setup();
            mainPhase();
            if (workload.hasFinalPhase()) {
                if (nemesis != null) {
                    nemesis.heal();
                }
                progress.println(String.format("[bench] %squiet for %.1f s, then final requests",
                        nemesis != null ? "healed; " : "", load.quietPeriod()));
                progress.phase("quiet", load.quietPeriod());
                // Nothing else runs in the bench meanwhile: the charts' start-up cost goes here.
                warmUpCharts();
                sleepNanos((long) (load.quietPeriod() * 1e9));
                progress.phase("final requests", 0);
                finalPhase();
            }
        }
        nodes.values().forEach(NodeProcess::detach);
        // All at once: each stop waits for its process to end and its output to close.
        try (var stopping = Executors.newVirtualThreadPerTaskExecutor()) {
            nodes.values().forEach(node -> stopping.execute(node::stop));
        }
        long cpuAfter = processCpuNanos() - chartWarmUpCost();
        progress.close();
        List<Op> ops = new ArrayList<>(history);
        ops.sort(Comparator.comparingLong(Op::invokedAt));
        List<NemesisEvent> events = nemesis == null ? List.of() : nemesis.events();
        writeHistory(ops, events);
        double drawingSeconds = draw(ops, events, start != 0 ? start : began);
        Verdict verdict = ready ? judge(ops) : null;
        var cost = new Results.Cost((cpuAfter - cpuBefore) / 1e9, network.routed(), network.maxLagMillis(),
                nodes.values().stream().mapToDouble(n -> n.cpu().toNanos() / 1e9).sum(), drawingSeconds);
        List<Op> counted = new ArrayList<>(operations);
        counted.sort(Comparator.comparingLong(Op::invokedAt));
        return Results.of(options, verdict, counted, network.stats(), problems(), events, cost);
    }

    /** Whether a nemesis event begins a fault (a partition, a kill, a pause), as progress counts them. */
    private static boolean startsAFault(NemesisEvent event) {
        return switch (event.f()) {
            case "start-partition", "kill", "pause" -> true;
            default -> false;
        };
    }

    /**
     * Draws the charts of a made-up run ({@link Charts#warmUp}) on a thread of its own (not
     * a virtual one: it would hold one of the carriers the network's loops need), which
     * keeps the CPU it used in {@link #chartWarmUpCpuNanos}.
     */
    private void warmUpCharts() {
        chartWarmUp = Thread.ofPlatform().daemon().name("warm up charts").start(() -> {
            try {
                Charts.warmUp();
            } catch (IOException | RuntimeException | LinkageError e) {
                // Only a head start: drawing the run's charts will report whatever is wrong.
            } finally {
                chartWarmUpCpuNanos = Math.max(0, ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
            }
        });
    }

    /**
     * The CPU the charts' warm-up used, once it is over: drawing, not running the test, so
     * the bench's cost per message leaves it out.
     */
    private long chartWarmUpCost() {
        if (chartWarmUp == null) {
            return 0;
        }
        join(chartWarmUp);
        return chartWarmUpCpuNanos;
    }

    /**
     * Draws the run's pictures beside its results, times relative to {@code origin};
     * returns the seconds it took. A picture that cannot be drawn is reported and
     * skipped: it says nothing about the nodes.
     */
    private double draw(List<Op> ops, List<NemesisEvent> events, long origin) {
        long t0 = System.nanoTime();
        long end = t0 - origin;
        String title = options.workload() + " · " + nodeIds.size() + " nodes · seed " + options.seed() + " · "
                + program.bin().getFileName() + " " + String.join(" ", program.args());
        var trace = new RunTrace(title, ops, Faults.intervals(events, end), journal.flights(origin),
                journal.truncated(), load.timeLimit(), end);
        try {
            Pictures.write(options.runDir(), trace);
        } catch (IOException | RuntimeException e) {
            log.println("[bench] could not draw the run's pictures: " + e);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** The run's problems, then each node's with the last lines of its log. */
    private List<String> problems() {
        List<String> problems = new ArrayList<>(runProblems);
        for (NodeProcess node : nodes.values()) {
            for (String p : node.problems()) {
                List<String> tail = node.lastLogLines();
                problems.add("node " + node.id() + " " + p + (tail.isEmpty() ? " (its log is empty)"
                        : "; last log lines:\n    " + String.join("\n    ", tail)));
            }
        }
        return problems;
    }

    /**
     * Writes every operation as one JSON line, history.jsonl, for reading a failure after
     * the fact: the clients' operations and the nemesis's, in invocation order. A nemesis
     * operation is Jepsen's: process "nemesis", type info, its targets as value.
     */
    private void writeHistory(List<Op> ops, List<NemesisEvent> events) throws IOException {
        List<Map.Entry<Long, ObjectNode>> lines = new ArrayList<>();
        for (Op op : ops) {
            ObjectNode line = Json.object().put("process", op.process()).put("client", op.client())
                    .put("node", op.node()).put("f", op.f()).put("type", op.type().name().toLowerCase())
                    .put("invoked-ms", op.invokedAt() / 1e6).put("completed-ms", op.completedAt() / 1e6)
                    .put("final", op.isFinal());
            line.set("request", op.request());
            line.set("reply", op.reply());
            lines.add(Map.entry(op.invokedAt(), line));
        }
        for (NemesisEvent e : events) {
            ObjectNode line = Json.object().put("process", "nemesis").put("f", e.f()).put("type", "info")
                    .put("invoked-ms", e.invokedNanos() / 1e6).put("completed-ms", e.completedNanos() / 1e6)
                    .put("final", e.isFinal());
            switch (e) {
                case NemesisEvent.Partition p -> {
                    line.put("shape", p.shape());
                    line.set("value", Json.MAPPER.valueToTree(p.grudge()));
                }
                case NemesisEvent.Processes p -> {
                    line.put("spec", p.spec());
                    line.set("value", Json.MAPPER.valueToTree(p.targets()));
                    line.set("changed", Json.MAPPER.valueToTree(p.changed()));
                }
            }
            lines.add(Map.entry(e.invokedNanos(), line));
        }
        lines.sort(Map.Entry.comparingByKey());
        try (var out = Files.newBufferedWriter(options.runDir().resolve("history.jsonl"))) {
            for (var line : lines) {
                out.write(line.getValue().toString());
                out.write('\n');
            }
        }
    }

    private void startNodes(Path logs) {
        progress.println(String.format("[bench] starting %d nodes: %s %s", nodeIds.size(), program.bin(),
                String.join(" ", program.args())));
        for (String id : nodeIds) {
            try {
                nodes.put(id, NodeProcess.start(id, spawner, network, logs.resolve(id + ".log"),
                        options.logs().nodeStderr() ? log : null));
            } catch (IOException e) {
                runProblems.add("node " + id + " could not be started: " + e.getMessage());
            }
        }
    }

    /** Sends init to every node at once and waits for each init_ok. */
    private boolean init() {
        long t0 = System.nanoTime();
        List<NodeProcess> failed = onNodes(List.copyOf(nodes.values()), node -> !initialize(node));
        progress.println(String.format("[bench] %d of %d nodes answered init in %d ms", nodes.size() - failed.size(),
                nodes.size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)));
        return failed.isEmpty();
    }

    /** Sends a node init, from a client of its own, and waits for init_ok; notes the node's problem when none came. */
    private boolean initialize(NodeProcess node) {
        Client client = newClient();
        try {
            ObjectNode body = Json.init(node.id(), nodeIds);
            // A node that exits will never answer: no need to wait out the deadline.
            node.exited().thenRun(client::abandon);
            ObjectNode reply = call(client, node.id(), body, INIT_TIMEOUT);
            if (reply == null) {
                node.problem(node.exited().isDone() ? "exited before answering init"
                        : "did not answer init within " + INIT_TIMEOUT.toSeconds() + " s");
                return false;
            }
            if (!"init_ok".equals(Json.type(reply))) {
                node.problem("answered init with " + reply);
                return false;
            }
            return true;
        } finally {
            client.close();
        }
    }

    /** Runs {@code action} on every node at once, as Jepsen's on-nodes does; answers those it was true for, in order. */
    private static List<NodeProcess> onNodes(List<NodeProcess> targets, Predicate<NodeProcess> action) {
        List<Thread> threads = new ArrayList<>();
        boolean[] hits = new boolean[targets.size()];
        for (int i = 0; i < targets.size(); i++) {
            int k = i;
            threads.add(Thread.ofVirtual().start(() -> hits[k] = action.test(targets.get(k))));
        }
        threads.forEach(Runner::join);
        List<NodeProcess> hit = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            if (hits[i]) {
                hit.add(targets.get(i));
            }
        }
        return hit;
    }

    /** The node processes the nemesis acts on, and the network it partitions. */
    private final class Nodes implements Target {

        @Override
        public void partition(Map<String, Set<String>> grudge) {
            network.partition(grudge);
        }

        @Override
        public void heal() {
            network.heal();
        }

        @Override
        public List<String> kill(List<String> ids) {
            return act(ids, NodeProcess::kill);
        }

        @Override
        public List<String> start(List<String> ids) {
            return act(ids, node -> {
                try {
                    if (!node.restart()) {
                        return false;
                    }
                } catch (IOException e) {
                    node.problem("could not be started again: " + e.getMessage());
                    return false;
                }
                initialize(node);
                return true;
            });
        }

        @Override
        public List<String> pause(List<String> ids) {
            return act(ids, NodeProcess::pause);
        }

        @Override
        public List<String> resume(List<String> ids) {
            return act(ids, NodeProcess::resume);
        }

        private List<String> act(List<String> ids, Predicate<NodeProcess> action) {
            return onNodes(ids.stream().map(nodes::get).toList(), action).stream().map(NodeProcess::id).toList();
        }
    }

    /** Sends each node the workload's setup request, one client per node, as Jepsen does. */
    private void setup() {
        List<Thread> threads = new ArrayList<>();
        for (String node : nodeIds) {
            ObjectNode body = guarded(() -> workload.setup(node, nodeIds));
            if (body == null) {
                continue;
            }
            Client client = newClient();
            threads.add(Thread.ofVirtual().start(() -> {
                String type = Json.type(body);
                ObjectNode reply = call(client, node, body, Workload.REQUEST_TIMEOUT);
                if (reply == null || !(type + "_ok").equals(Json.type(reply))) {
                    runProblems.add("node " + node + " answered the setup request " + type + " with "
                            + (reply == null ? "nothing within 5 s" : reply.toString()));
                }
                client.close();
            }));
        }
        threads.forEach(Runner::join);
    }

    /** A client thread of Jepsen: bound to one node, its process renewed after a timeout. */
    private final class Worker {
        final String node;
        int process;
        Client client;
        int clientProcess = -1;

        Worker(int thread) {
            this.node = nodeIds.get(thread % nodeIds.size());
            this.process = thread;
        }

        /**
         * Makes one Maelstrom operation: a request, and its {@link Workload#continuation}s
         * while they end ok, each recorded in the history, the whole as one operation,
         * which it returns with its client's times; a {@link Workload#CRASH} is recorded
         * without a request.
         */
        Op perform(ObjectNode body, boolean isFinal) {
            String f = Json.type(body);
            if (client == null || (clientProcess != process && !reusableClient)) {
                // Jepsen opens a fresh client for a new process before it invokes anything,
                // a crash included; the old one leaves the network.
                if (client != null) {
                    client.close();
                }
                client = newClient();
                clientProcess = process;
            }
            if (Workload.CRASH.equals(f)) {
                long now = elapsedNanos();
                // Jepsen's client crash: indefinite, and the thread goes on as a new process.
                Op crash = new Op(process, client.id(), node, Workload.CRASH, body, null, Op.Type.INFO, now, now, isFinal);
                record(crash);
                return crash;
            }
            Op first = exchange(body, isFinal);
            Op last = first;
            while (last.ok()) {
                Op done = last;
                ObjectNode more = guarded(() -> workload.continuation(done));
                if (more == null) break;
                last = exchange(more, isFinal);
            }
            return first == last ? first : first.endingAs(last);
        }

        /** Sends one request, waits for its reply or the timeout, and records it. */
        private Op exchange(ObjectNode body, boolean isFinal) {
            String f = Json.type(body);
            long invoked = elapsedNanos();
            ObjectNode reply = call(client, node, body, requestTimeout);
            long completed = elapsedNanos();
            boolean idempotent = Boolean.TRUE.equals(guarded(() -> workload.idempotent(f)));
            Op op = new Op(process, client.id(), node, f, body, reply, classify(f, reply, idempotent),
                    invoked, completed, isFinal);
            record(op);
            return op;
        }

        /** Adds {@code op} to the history, retiring this process if its outcome is unknown. */
        private void record(Op op) {
            if (op.type() == Op.Type.INFO) {
                process += load.concurrency();
            }
            history.add(op);
            completed.incrementAndGet();
            guarded(() -> {
                workload.completed(op);
                return null;
            });
        }
    }

    /**
     * How Maelstrom's clients end an operation given the reply body (null: none came): a
     * definite error fails it, and so does a timeout or any error when the operation is
     * idempotent; a reply of the wrong type is malformed, which Maelstrom records as
     * unknown whatever the operation.
     */
    public static Op.Type classify(String f, ObjectNode reply, boolean idempotent) {
        if (reply == null) {
            return idempotent ? Op.Type.FAIL : Op.Type.INFO;
        }
        String type = Json.type(reply);
        if (type.equals(f + "_ok")) {
            return Op.Type.OK;
        }
        if (type.equals("error")) {
            boolean definite = reply.path("code").canConvertToInt() && RpcError.definite(reply.path("code").intValue());
            return definite || idempotent ? Op.Type.FAIL : Op.Type.INFO;
        }
        return Op.Type.INFO;
    }

    private void mainPhase() {
        for (int i = 0; i < load.concurrency(); i++) {
            workers.add(new Worker(i));
        }
        start = System.nanoTime();
        long end = start + (long) (load.timeLimit() * 1e9);
        progress.println(String.format("[bench] running %s for %.1f s at %.1f req/s, concurrency %d%s",
                options.workload(), load.timeLimit(), load.rate(), load.concurrency(),
                options.faults().enabled().isEmpty() ? "" : ", nemesis " + options.faults().names()));
        progress.phase("main", load.timeLimit());
        Schedule schedule = new Schedule(load.rate(), load.concurrency(), opsRandom);
        nemesis = options.faults().enabled().isEmpty() ? null
                : new CombinedNemesis(new Nodes(), nodeIds, options.faults(), nemesisRandom, processRandom, start);
        Thread nemesisThread = nemesis == null ? null
                : Thread.ofVirtual().name("nemesis").start(() -> nemesis.run(end, schedule::nemesisInvoked));
        if (load.rate() > 0) {
            // This thread is Jepsen's interpreter: it invokes the ops and takes their completions,
            // and its clock is the one the op counts and latencies read. After the end it
            // waits for the ops in flight (they finish or time out), as Jepsen's phases do.
            Schedule.Event event;
            long drainUntil = end + requestTimeout.toNanos() * 2;
            while ((event = nextEvent(schedule, end, drainUntil)) != null) {
                switch (event) {
                    case Schedule.Completion completion -> completion.finish().accept(completion.at() - start);
                    case Schedule.Invocation invocation -> invoke(schedule, invocation);
                }
            }
        } else {
            sleepNanos(end - System.nanoTime());
        }
        if (nemesisThread != null) {
            join(nemesisThread);
        }
    }

    /**
     * Makes the op of {@code invocation} on its thread; the operation counted is timed
     * from the invocation to the moment the interpreter takes its completion.
     */
    private void invoke(Schedule schedule, Schedule.Invocation invocation) {
        int thread = invocation.thread();
        Worker worker = workers.get(thread);
        ObjectNode body = guarded(() -> workload.next(worker.process, opsRandom));
        if (body == null) {
            schedule.free(thread);
            return;
        }
        long invoked = invocation.at() - start;
        Thread.ofVirtual().start(() -> {
            Op op = worker.perform(body, false);
            schedule.finished(thread, completed -> operations.add(op.timed(invoked, completed)));
        });
    }

    private void finalPhase() {
        List<Thread> threads = new ArrayList<>();
        for (Worker worker : workers) {
            threads.add(Thread.ofVirtual().start(() -> {
                // Jepsen's each-thread: every thread staggers its own final requests.
                Schedule.Stagger stagger = null;
                ObjectNode body;
                while ((body = guarded(() -> workload.nextFinal(worker.process, opsRandom))) != null) {
                    String f = Json.type(body);
                    Double rate = guarded(() -> workload.finalRate(f));
                    if (rate != null && rate > 0) {
                        if (stagger == null) {
                            stagger = new Schedule.Stagger(rate, opsRandom);
                        }
                        try {
                            stagger.awaitDue();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                        stagger.invoked(System.nanoTime());
                    }
                    operations.add(worker.perform(body, true));
                }
            }));
        }
        threads.forEach(Runner::join);
    }

    private Verdict judge(List<Op> ops) {
        try {
            return workload.check(ops);
        } catch (RuntimeException e) {
            return new Verdict(Verdict.Validity.UNKNOWN, Json.object(),
                    List.of("the checker failed: " + e));
        }
    }

    /**
     * Calls into the workload under its lock: the bench never calls it from two threads
     * at once. A workload that throws is reported and treated as having nothing to ask.
     */
    private <T> T guarded(Supplier<T> call) {
        synchronized (workload) {
            try {
                return call.get();
            } catch (RuntimeException e) {
                runProblems.add("the workload failed: " + e);
                return null;
            }
        }
    }

    private Client newClient() {
        return new Client("c" + nextClient.getAndIncrement(), network);
    }

    private static ObjectNode call(Client client, String dest, ObjectNode body, Duration timeout) {
        try {
            return client.call(dest, body, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private long elapsedNanos() {
        return System.nanoTime() - start;
    }

    private static Schedule.Event nextEvent(Schedule schedule, long end, long drainUntil) {
        try {
            return schedule.next(end, drainUntil);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static void sleepNanos(long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** CPU time this JVM has used so far. */
    static long processCpuNanos() {
        return ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class).getProcessCpuTime();
    }
}
