package lib;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Maelstrom node: reads messages as JSON lines from stdin, hands each to the handler
 * for its type, and writes messages as JSON lines to stdout.
 *
 * <p>Threads: one thread reads stdin, completes the {@link #rpc}s that replies answer and
 * passes relays on (see {@link #relayWhenSilent}); every other message goes, in the order
 * read (a request that came several ways, in its first copy's place), to one delivery
 * thread, which hands each to a virtual thread of its own. Handlers therefore run
 * concurrently and may block (a {@link #syncRpc}, a {@link KV} call, a sleep) without
 * holding up other messages. State
 * that handlers or periodic tasks share must be thread-safe. Every method of Node is safe
 * to call from any thread. A handler registered with {@link #handleInOrder} runs instead
 * on the delivery thread, before the next message is delivered, so that its messages
 * take effect in the order the network delivered them.
 *
 * <p>Init comes first. The delivery thread delivers nothing before the first
 * well-formed init, and runs the init listeners there, before {@code init_ok} and before
 * the next message: a listener may block on an RPC (its reply is read meanwhile), and no
 * handler ever sees the node without its id or its restored state. Messages read before
 * init (after a restart, peers' messages may reach the new process before Maelstrom's
 * init does) wait, in order, until init is done.
 *
 * <p>Bad input never stops the node: a line that is not a message is logged and
 * skipped; a request of an unknown type is answered with error 10, one whose body does
 * not fit the handler's record with error 12, and a handler that throws answers with
 * the {@link RpcError} it threw, or error 13 for anything else it throws, an
 * {@link Error} included. Nothing is written to stdout before init: a message has no
 * {@code src} until then, so what would go out (the answer to a malformed init, say)
 * is logged on stderr instead.
 */
public final class Node {

    /** Handles one request; it may reply at once, later, or never. */
    @FunctionalInterface
    public interface Handler<T> {
        /** Handles {@code request}; an exception becomes an error reply. */
        void handle(Request<T> request) throws Exception;
    }

    private record Route<T>(Class<T> bodyType, Handler<T> handler, boolean inOrder) {
    }

    private record Periodic(Duration period, Runnable task) {
    }

    /** An RPC waiting for its reply from {@code dest}. */
    private record Pending(String dest, CompletableFuture<ObjectNode> reply) {
    }

    private final CountingInput stdin;
    private final BufferedReader input;
    private final PrintStream output;
    private final Map<String, Route<?>> routes = new ConcurrentHashMap<>();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final Relaying relaying = new Relaying();
    private final List<Periodic> periodics = new ArrayList<>(); // until init; guarded by this
    private final List<Thread> periodicThreads = new ArrayList<>(); // guarded by this
    private final List<Runnable> initListeners = new ArrayList<>(); // guarded by this
    private boolean initialized; // a well-formed init came; guarded by this
    /**
     * Message ids start at a random point, so that a restarted node's ids are not its
     * previous incarnation's, whose replies may still be on their way.
     */
    private final AtomicLong nextMsgId = new AtomicLong(ThreadLocalRandom.current().nextLong(1L << 48));
    private final Object inFlightLock = new Object();
    private int inFlight; // messages being handled; guarded by inFlightLock
    private volatile String id;
    private volatile List<String> nodeIds = List.of();

    /** How long a node whose stdin closed waits for the requests it is still handling. */
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);

    /**
     * How long Maelstrom's clients wait for an answer. A client that gave up may be gone
     * from Maelstrom's network, and an answer to it then ends the node: Maelstrom stops
     * reading its output. The node cannot see when a client sent a request, only when it
     * read it, so it answers a client only within {@link #CLIENT_BUDGET_NANOS} of that.
     */
    private static final long CLIENT_TIMEOUT_NANOS = Duration.ofSeconds(5).toNanos();
    /**
     * What a request may have spent before this node read it, unseen: in Maelstrom's
     * delivery loop behind messages not yet due, and in a stop shorter than
     * {@link #STALL_NANOS}. A client is answered only within the timeout less this.
     */
    private static final long UNSEEN_NANOS = Duration.ofMillis(500).toNanos();
    /** How long after reading a client's request the node may still answer it. */
    private static final long CLIENT_BUDGET_NANOS = CLIENT_TIMEOUT_NANOS - UNSEEN_NANOS;
    /** How long Maelstrom waits for init_ok: the same rule, with init's own deadline. */
    private static final long INIT_BUDGET_NANOS = Duration.ofSeconds(10).toNanos() - UNSEEN_NANOS;
    /** How often the stall watch looks at the clock. */
    private static final Duration TICK = Duration.ofMillis(100);
    /**
     * A gap this long between two looks at the clock means the process was stopped (a
     * pause fault: SIGSTOP, then SIGCONT) or starved of CPU. Lines that waited in stdin
     * meanwhile may have been sent at any time since the gap began: they count as read
     * then, so that their clients' budget is not overstated by the length of the stop.
     */
    private static final long STALL_NANOS = 3 * TICK.toNanos();

    /** When the clock was last looked at, by the reader or the stall watch. */
    private volatile long lastLook = System.nanoTime();
    /** The latest stall. */
    private volatile Stall stall = new Stall(0, 0, -1);

    /**
     * A stall: it began at {@code from} (the last look at the clock before it) and was
     * seen at {@code seen}; the bytes of stdin up to {@code backlogEnd} (what had been
     * read or was waiting then) may have been sent before it ended.
     */
    private record Stall(long from, long seen, long backlogEnd) {
    }

    /** A line read, with the earliest time it may have been sent. */
    private record Delivery(String src, ObjectNode body, long receivedAt) {
    }

    /** What the reader hands the delivery thread; a delivery with a null body ends it. */
    private final LinkedBlockingQueue<Delivery> inbox = new LinkedBlockingQueue<>();
    private static final Delivery END = new Delivery(null, null, 0);

    /** A node on stdin and stdout. */
    public Node() {
        this(System.in, System.out);
    }

    /** A node on the given streams (tests drive nodes this way). */
    public Node(InputStream in, OutputStream out) {
        this.stdin = new CountingInput(in);
        this.input = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
        this.output = new PrintStream(out, false, StandardCharsets.UTF_8);
    }

    /** This node's id ({@code n0}), or null before init. */
    public String id() {
        return id;
    }

    /** Every node's id in the cluster, this one included; empty before init. */
    public List<String> nodeIds() {
        return nodeIds;
    }

    /** The other nodes' ids. */
    public List<String> peers() {
        return nodeIds.stream().filter(n -> !n.equals(id)).toList();
    }

    /**
     * Handles messages of the type named by {@code bodyType}'s class name in snake_case
     * ({@code Broadcast} handles {@code "broadcast"}), reading each body into that record.
     * Its components may be strings, numbers, booleans, lists, sets, maps with string
     * keys, arrays, records and {@code JsonNode}; any other type fails here, with an
     * IllegalArgumentException, rather than at the first message. So does a second
     * handler for the same type, and one for {@code init}, which the node answers itself
     * (see {@link #onInit}).
     */
    public <T extends Record> void handle(Class<T> bodyType, Handler<T> handler) {
        handle(Json.typeName(bodyType), bodyType, handler);
    }

    /**
     * Handles messages of {@code type}, reading each body into {@code bodyType}: for a
     * record whose name does not give the type ({@code ReadOK} would stand for
     * {@code "read_o_k"}). Otherwise as {@link #handle(Class, Handler)}.
     */
    public <T extends Record> void handle(String type, Class<T> bodyType, Handler<T> handler) {
        route(type, new Route<>(bodyType, handler, false));
    }

    /**
     * Handles messages of the type {@code bodyType} names as {@link #handle(Class, Handler)}
     * does, but on the delivery thread, each before the next message is delivered: for a
     * short handler whose messages must take effect in the order they arrived, as a read
     * must see what a message delivered before it brought. It holds up every later
     * message while it runs, so it should not wait (replies still reach RPCs meanwhile).
     */
    public <T extends Record> void handleInOrder(Class<T> bodyType, Handler<T> handler) {
        route(Json.typeName(bodyType), new Route<>(bodyType, handler, true));
    }

    private void route(String type, Route<?> route) {
        if (type.equals("init")) throw new IllegalArgumentException("init is answered by the node: use onInit");
        if (type.equals(Relaying.TYPE)) throw new IllegalArgumentException("relays are the node's own: see relayWhenSilent");
        Binding.check(route.bodyType());
        if (routes.putIfAbsent(type, route) != null) {
            throw new IllegalArgumentException("a second handler for '" + type + "'");
        }
    }

    /**
     * Runs {@code listener} once, at the first well-formed init, before {@code init_ok}
     * is sent and before any periodic task: no message is handled until it returns (they
     * wait, in order), but replies are read, so it may wait for RPCs ({@link Disk#open}
     * does). If it throws, init is answered with error 13 (the
     * node did take its id) and the node goes on. Registering one after init fails with
     * an IllegalStateException: it would never run.
     */
    public synchronized void onInit(Runnable listener) {
        if (initialized) throw new IllegalStateException("init has happened: a listener registered now would never run");
        initListeners.add(listener);
    }

    /**
     * Runs {@code task} again and again on a virtual thread of its own, from init on,
     * or from now if init has happened: it waits {@code period}, runs, and waits
     * {@code period} again, so {@code period} is the delay between the end of one run
     * and the start of the next (a fixed delay, not a fixed rate). Anything it throws,
     * an {@link Error} included, is logged and the next round goes on. The tasks stop
     * when {@link #run} returns.
     */
    public synchronized void every(Duration period, Runnable task) {
        var periodic = new Periodic(period, task);
        if (initialized) start(periodic);
        else periodics.add(periodic);
    }

    /**
     * Relays through peers when a direct way fails: from now on, an RPC to a peer that
     * has left one unanswered for {@code silence} goes the ways that work, directly or
     * through another peer, which passes it on (every few seconds every way, to find out
     * again; lib/Relaying has the rules), and its answer comes back the ways that work
     * back; the peer handles it once. So two nodes that a partition keeps apart, in one
     * direction or both, still complete a round trip through a third that hears each and
     * is heard by each, as in a majorities ring, where each node hears one peer and is
     * heard by the other. It costs nothing while peers answer, and goes back to the
     * direct way once a round trip there works both ways. Copies come later than the
     * direct way would, and after one another: a request must be one its handler may see
     * late (every node handles the copies of one request once).
     */
    public void relayWhenSilent(Duration silence) {
        relaying.relayAfter(silence);
    }

    /** Sends {@code body} (a record) to {@code dest}, expecting no answer. */
    public void send(String dest, Object body) {
        write(dest, Json.body(body));
    }

    /**
     * Sends {@code body} to {@code dest} and returns its answer, read into
     * {@code replyType} ({@code JsonNode.class} takes it as it is). A reply type the
     * binding cannot read fails here, with an IllegalArgumentException, before anything
     * is sent. The future fails with an {@link RpcError}: the error that came back,
     * {@link RpcError#TIMEOUT} when nothing came within {@code timeout}, or
     * {@link RpcError#CRASH} for a reply that does not fit {@code replyType} (the peer
     * did act on the request, so the failure is indefinite).
     */
    public <R> CompletableFuture<R> rpc(String dest, Object body, Class<R> replyType, Duration timeout) {
        Binding.check(replyType);
        long msgId = nextMsgId.incrementAndGet();
        var reply = new CompletableFuture<ObjectNode>();
        pending.put(msgId, new Pending(dest, reply));
        reply.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
                .whenComplete((r, e) -> pending.remove(msgId));
        ObjectNode message = Json.body(body).put("msg_id", msgId);
        Relaying.Plan plan = nodeIds.contains(dest) && !dest.equals(id) ? relaying.plan(dest, System.nanoTime()) : null;
        if (plan == null) write(dest, message);
        else write(dest, plan.request(), message.set(Relaying.SEVERAL_WAYS, Relaying.stamp(plan.answer())));
        return reply.handle((r, e) -> {
            if (e == null) return Json.reply(r, replyType, dest);
            if (e instanceof TimeoutException) {
                throw new RpcError(RpcError.TIMEOUT, "no reply from " + dest + " within " + timeout.toMillis() + " ms");
            }
            throw e instanceof RuntimeException re ? re : new CompletionException(e);
        });
    }

    /** Like {@link #rpc}, but waits for the answer; throws its {@link RpcError}. */
    public <R> R syncRpc(String dest, Object body, Class<R> replyType, Duration timeout) {
        return await(rpc(dest, body, replyType, timeout));
    }

    /**
     * Waits for {@code future} (an {@link #rpc} or a {@link KV} call) and returns its
     * value, rethrowing the {@link RpcError} it failed with.
     */
    public static <R> R await(CompletableFuture<R> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException c ? c.getCause() : e.getCause();
            if (cause instanceof RuntimeException re) throw re;
            throw new CompletionException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RpcError(RpcError.TIMEOUT, "interrupted");
        }
    }

    /** Logs a line on stderr, which Maelstrom keeps as the node's log. */
    public static void log(String format, Object... args) {
        System.err.println(args.length == 0 ? format : String.format(format, args));
    }

    /**
     * Reads and handles messages until stdin closes, then waits a few seconds for the
     * requests still being handled, so that their replies are written, and stops the
     * periodic tasks.
     */
    public void run() {
        Thread.ofPlatform().daemon().name("stall watch").start(this::watchForStalls);
        Thread delivery = Thread.ofPlatform().name("delivery").start(this::deliverAll);
        try {
            readAll();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            inbox.add(END);
        }
        try {
            delivery.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        synchronized (inFlightLock) {
            try {
                for (long left; inFlight > 0 && (left = deadline - System.nanoTime()) > 0; ) {
                    TimeUnit.NANOSECONDS.timedWait(inFlightLock, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            periodicThreads.forEach(Thread::interrupt);
        }
    }

    /**
     * Reads stdin to its end. Each line counts as read when it was read, unless it waited
     * through a stall: it was in stdin already when the stall was seen, or came right
     * behind such a line, with no gap (what the sender could not write into a full pipe
     * meanwhile). Such a line counts as read when the stall began.
     */
    private void readAll() throws IOException {
        long consumed = 0; // bytes of the lines read so far
        Stall behind = null; // the stall the line before waited through, while stdin had more
        for (String line; (line = input.readLine()) != null; ) {
            consumed += utf8Length(line) + 1;
            long now = look();
            Stall latest = stall;
            boolean waited = consumed <= latest.backlogEnd() || consumed <= stdin.readRightAfter(latest) || behind == latest;
            if (!line.isBlank()) receive(line, waited ? latest.from() : now);
            behind = waited && input.ready() ? latest : null;
        }
    }

    /** The length of {@code text} in UTF-8, without encoding it. */
    private static long utf8Length(String text) {
        long bytes = text.length();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x80) bytes += c >= 0x800 && !Character.isSurrogate(c) ? 2 : 1;
        }
        return bytes;
    }

    /** Looks at the clock, as the stall watch does every tick; returns the time. */
    private long look() {
        long now = System.nanoTime();
        synchronized (inbox) { // the reader and the watch look: one stall is counted once
            long last = lastLook;
            if (now - last > STALL_NANOS) {
                stall = new Stall(last, now, stdin.upTo());
                if (now - last > CLIENT_BUDGET_NANOS / 2) {
                    log("this process was stopped or starved for %.1f s: the requests it held meanwhile count as"
                            + " read before it", (now - last) / 1e9);
                }
            }
            lastLook = now;
        }
        return now;
    }

    private void watchForStalls() {
        try {
            while (true) {
                Thread.sleep(TICK);
                look();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Parses a line and takes the message in it, or the one a peer passed on in it. */
    private void receive(String line, long receivedAt) {
        JsonNode message;
        try {
            message = Json.parse(line);
        } catch (JsonProcessingException e) {
            log("skipping malformed JSON: %s (%s)", line, e.getOriginalMessage());
            return;
        }
        if (!(message instanceof ObjectNode envelope) || !message.path("src").isTextual()
                || !(message.get("body") instanceof ObjectNode body)) {
            log("skipping a line that is not a message: %s", line);
            return;
        }
        String src = envelope.get("src").asText();
        if (typeOf(body).equals(Relaying.TYPE)) relayed(src, body, receivedAt);
        else take(src, body, receivedAt, true);
    }

    /**
     * A message from {@code src}, directly or passed on by a peer: a reply completes its
     * RPC here; anything else goes to the delivery thread, but a request that came several
     * ways only once (see {@link Relaying}).
     */
    private void take(String src, ObjectNode body, long receivedAt, boolean direct) {
        JsonNode inReplyTo = body.get("in_reply_to");
        if (inReplyTo != null && inReplyTo.canConvertToLong()) {
            JsonNode cameDirect = body.remove(Relaying.CAME_DIRECT);
            boolean first = complete(src, inReplyTo.asLong(), body);
            if (nodeIds.contains(src)) relaying.answered(src, direct, cameDirect == null ? null : cameDirect.asBoolean(), first);
            return;
        }
        JsonNode severalWays = body.remove(Relaying.SEVERAL_WAYS);
        if (severalWays == null || relaying.firstCopy(src, body.path("msg_id").asLong(), direct,
                Relaying.Ways.of(severalWays.path("answer").asText()), severalWays.path("sent").asLong())) {
            inbox.add(new Delivery(src, body, receivedAt));
        }
    }

    /**
     * A relay between nodes: takes the message in it if it is for this node, or passes it
     * on once, to a node, for the node that sent it. One that comes before init, when this
     * node knows neither its id nor its peers, is dropped, as the network might have.
     */
    private void relayed(String src, ObjectNode relay, long receivedAt) {
        String from = relay.path("from").asText("");
        String to = relay.path("to").asText("");
        List<String> cluster = nodeIds;
        if (!(relay.get("message") instanceof ObjectNode message) || !cluster.contains(src) || !cluster.contains(from)) {
            log("skipping a relay that is not one between nodes of this cluster, from %s: %s", src, relay);
        } else if (to.equals(id)) {
            take(from, message, receivedAt, false);
        } else if (src.equals(from) && cluster.contains(to)) {
            write(to, relay);
        } else {
            log("not passing on a relay from %s: %s", src, relay);
        }
    }

    /**
     * The delivery thread: holds every message until the first well-formed init has been
     * taken (its listeners run here), then delivers them in the order read.
     */
    private void deliverAll() {
        var early = new ArrayList<Delivery>();
        try {
            for (Delivery d; (d = inbox.take()) != END; ) {
                boolean isInit = typeOf(d.body()).equals("init");
                if (isInit) {
                    init(d.src(), d.body(), d.receivedAt());
                } else if (!initialized()) {
                    early.add(d);
                    continue;
                } else {
                    deliver(d);
                }
                if (isInit && initialized() && !early.isEmpty()) {
                    early.forEach(this::deliver);
                    early.clear();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!early.isEmpty()) log("stdin closed before init: %d messages were never handled", early.size());
    }

    private static String typeOf(ObjectNode body) {
        return body.path("type").asText("");
    }

    private synchronized boolean initialized() {
        return initialized;
    }

    /** Runs an in-order handler here, and any other on a virtual thread of its own. */
    private void deliver(Delivery d) {
        if (routes.get(typeOf(d.body())) instanceof Route<?> route && route.inOrder()) {
            dispatch(d);
            return;
        }
        synchronized (inFlightLock) {
            inFlight++;
        }
        Thread.startVirtualThread(() -> {
            try {
                dispatch(d);
            } finally {
                synchronized (inFlightLock) {
                    if (--inFlight == 0) inFlightLock.notifyAll();
                }
            }
        });
    }

    private void dispatch(Delivery d) {
        String type = typeOf(d.body());
        if (routes.get(type) instanceof Route<?> route) {
            serve(route, d.src(), d.body(), d.receivedAt());
        } else if (type.equals("error") || type.endsWith("_ok")) {
            log("dropping an unrequested %s from %s: %s", type, d.src(), d.body());
        } else {
            replyError(d.src(), d.body(), new RpcError(RpcError.NOT_SUPPORTED, "unsupported message type '" + type + "'"),
                    d.receivedAt());
        }
    }

    private <T> void serve(Route<T> route, String src, ObjectNode body, long receivedAt) {
        try {
            T request = Json.request(body, route.bodyType());
            route.handler().handle(new Request<>(this, src, body, request, receivedAt));
        } catch (RpcError e) {
            replyError(src, body, e, receivedAt);
        } catch (Throwable e) { // an Error too: this node can still answer, and go on with the next message
            logFailure("handler for " + body.path("type").asText() + " from " + src + " on " + body, e);
            replyError(src, body, new RpcError(RpcError.CRASH, e.toString()), receivedAt);
        }
    }

    /** Logs {@code e}, thrown by the script's own code: {@code what} names that code. */
    private static void logFailure(String what, Throwable e) {
        log("%s failed:", what);
        e.printStackTrace();
    }

    private record Init(String nodeId, List<String> nodeIds) {
    }

    /**
     * Takes the node's id and the cluster from a well-formed init; the first one also
     * runs the init listeners, every one even if another failed, and starts the periodic
     * tasks, all before init is answered. Runs on the delivery thread, so nothing else is
     * delivered meanwhile; replies are, so listeners may wait for RPCs.
     */
    private void init(String src, ObjectNode body, long receivedAt) {
        Init init;
        try {
            init = Json.request(body, Init.class);
        } catch (RpcError e) {
            replyError(src, body, e, receivedAt); // before a first good init this is only logged: the node has no id to send from
            return;
        }
        List<Runnable> listeners;
        synchronized (this) {
            id = init.nodeId();
            nodeIds = List.copyOf(init.nodeIds());
            listeners = initialized ? List.of() : List.copyOf(initListeners);
        }
        RpcError failed = null;
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (Throwable e) {
                logFailure("init listener", e);
                if (failed == null) failed = new RpcError(RpcError.CRASH, "init failed: " + e);
            }
        }
        synchronized (this) {
            if (!initialized) {
                initialized = true;
                periodics.forEach(this::start);
                periodics.clear();
            }
        }
        if (failed != null) replyError(src, body, failed, receivedAt);
        else if (body.hasNonNull("msg_id")) {
            reply(src, body.get("msg_id").asLong(), Json.NODES.objectNode().put("type", "init_ok"), receivedAt);
        }
    }

    private void start(Periodic periodic) {
        periodicThreads.add(Thread.startVirtualThread(() -> {
            while (true) {
                try {
                    Thread.sleep(periodic.period());
                    periodic.task().run();
                } catch (InterruptedException e) {
                    return;
                } catch (Throwable e) { // an Error too: the next round may well succeed
                    log("periodic task failed: %s", e); // one line: it may fail every round
                }
            }
        }));
    }

    /**
     * Completes the RPC {@code msgId} with {@code body}, if it went to {@code src} and is
     * still waiting; true if it did. A reply from anyone else is another process's: a peer
     * answering this node's previous incarnation, whose ids this one's random first id
     * keeps apart.
     */
    private boolean complete(String src, long msgId, ObjectNode body) {
        Pending waiting = pending.get(msgId);
        if (waiting == null || !waiting.dest().equals(src) || !pending.remove(msgId, waiting)) {
            return false; // answered already, timed out (its caller has moved on), or not ours
        }
        CompletableFuture<ObjectNode> reply = waiting.reply();
        if (body.path("type").asText().equals("error")) {
            reply.completeExceptionally(new RpcError(body.path("code").asInt(RpcError.CRASH), body.path("text").asText("")));
        } else {
            reply.complete(body);
        }
        return true;
    }

    /**
     * Answers {@code request}, read at {@code receivedAt}, with {@code error}, or logs it
     * when the request asked for no answer.
     */
    void replyError(String src, ObjectNode request, RpcError error, long receivedAt) {
        if (request.hasNonNull("msg_id")) {
            reply(src, request.get("msg_id").asLong(), errorBody(error), receivedAt);
        } else {
            log("%s from %s asked for no reply: %s", error, src, request);
        }
    }

    private static ObjectNode errorBody(RpcError error) {
        return Json.NODES.objectNode().put("type", "error").put("code", error.code()).put("text", error.text());
    }

    /**
     * Answers the request {@code inReplyTo} from {@code dest}, read at {@code receivedAt};
     * to a client that may have given up (see {@link #CLIENT_BUDGET_NANOS}), it only logs it.
     */
    void reply(String dest, long inReplyTo, ObjectNode body, long receivedAt) {
        if (dest.startsWith("c")) { // Maelstrom's clients are c1, c2, ...; nodes and services never give up
            long waited = System.nanoTime() - receivedAt;
            long budget = "init_ok".equals(body.path("type").asText()) ? INIT_BUDGET_NANOS : CLIENT_BUDGET_NANOS;
            if (waited > budget) {
                log("not answering %s %d ms after it may have sent its request: its client may have given up: %s",
                        dest, waited / 1_000_000, body);
                return;
            }
        }
        body.put("in_reply_to", inReplyTo);
        Relaying.Came came = relaying.came(dest, inReplyTo);
        if (came == null) write(dest, body);
        else write(dest, came.answer(), body.put(Relaying.CAME_DIRECT, came.direct()));
    }

    /**
     * Writes {@code body} to {@code dest} the {@code ways} given: directly, and through the
     * peers relaying picks, each in a relay; directly after all when it picks none.
     */
    private void write(String dest, Relaying.Ways ways, ObjectNode body) {
        List<String> through = ways.relayed() ? relaying.through(dest, peers(), ways) : List.of();
        if (ways.direct() || through.isEmpty()) write(dest, body);
        for (String peer : through) {
            ObjectNode relay = Json.NODES.objectNode().put("type", Relaying.TYPE).put("from", id).put("to", dest);
            write(peer, relay.set("message", body));
        }
    }

    /** Writes a message to stdout; before init, when it could have no {@code src}, logs it instead. */
    private void write(String dest, ObjectNode body) {
        String src = id;
        if (src == null) {
            log("not sending to %s before init, as a message needs a src: %s", dest, body);
            return;
        }
        ObjectNode message = Json.NODES.objectNode();
        message.put("src", src).put("dest", dest).set("body", body);
        String line = Json.write(message);
        synchronized (output) { // one writer at a time: lines never interleave
            output.println(line);
            output.flush();
        }
    }

    /**
     * Stdin, counting the bytes read from it, for the stall rule: what reached stdin
     * before a stall was seen may have been sent before it ended. Bytes in stdin or
     * already read are counted ({@link #upTo}); a read under way when the stall is seen,
     * blocked on an empty pipe, returns bytes that came during the stall if it returns at
     * once, and later ones otherwise ({@link #readRightAfter}).
     */
    private static final class CountingInput extends FilterInputStream {
        private volatile long count; // written by the reading thread, read by the stall watch too
        // The last read, for the reading thread alone: when it began and returned, and count after it.
        private long lastReadStart;
        private long lastReadReturn;
        private long lastReadEnd;

        CountingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            long start = System.nanoTime();
            int n = super.read(into, offset, length);
            if (n > 0) count += n;
            lastReadStart = start;
            lastReadReturn = System.nanoTime();
            lastReadEnd = count;
            return n;
        }

        /** The end of what was read or waits to be read. */
        long upTo() {
            try {
                return count + available();
            } catch (IOException e) {
                return count;
            }
        }

        /**
         * The end of the bytes the last read returned if it was under way when {@code
         * stall} was seen and returned within a stall's length after that; else -1.
         * Called by the reading thread.
         */
        long readRightAfter(Stall stall) {
            long start = lastReadStart;
            return start < stall.seen() && lastReadReturn - stall.seen() <= STALL_NANOS ? lastReadEnd : -1;
        }
    }
}
