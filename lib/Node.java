package lib;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Maelstrom node: reads messages as JSON lines from stdin, hands each to the handler
 * for its type, and writes messages as JSON lines to stdout.
 *
 * <p>Threads: one thread reads stdin; each message is then handled on a virtual thread
 * of its own. Handlers therefore run concurrently and may block (a {@link #syncRpc},
 * a {@link KV} call, a sleep) without holding up other messages. State that handlers
 * or periodic tasks share must be thread-safe. Every method of Node is safe to call
 * from any thread. A handler registered with {@link #handleInOrder} runs instead on the
 * reading thread, before the next line is read, so that its messages take effect in the
 * order the network delivered them.
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

    private final BufferedReader input;
    private final PrintStream output;
    private final Map<String, Route<?>> routes = new ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<ObjectNode>> pending = new ConcurrentHashMap<>();
    private final List<Periodic> periodics = new ArrayList<>(); // until init; guarded by this
    private final List<Thread> periodicThreads = new ArrayList<>(); // guarded by this
    private final List<Runnable> initListeners = new ArrayList<>(); // guarded by this
    private boolean initialized; // a well-formed init came; guarded by this
    private final AtomicLong nextMsgId = new AtomicLong();
    private final Object inFlightLock = new Object();
    private int inFlight; // messages being handled; guarded by inFlightLock
    private volatile String id;
    private volatile List<String> nodeIds = List.of();

    /** How long a node whose stdin closed waits for the requests it is still handling. */
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);

    /**
     * How long Maelstrom's clients wait for an answer. A client that gave up may be gone
     * from Maelstrom's network, and an answer to it then ends the node: Maelstrom stops
     * reading its output. So no client gets an answer later than this after its request
     * was read.
     */
    private static final long CLIENT_TIMEOUT_NANOS = Duration.ofSeconds(5).toNanos();
    /** How long Maelstrom waits for init_ok: the same rule, with init's own deadline. */
    private static final long INIT_TIMEOUT_NANOS = Duration.ofSeconds(10).toNanos();
    /** How often the stall watch looks at the clock. */
    private static final Duration TICK = Duration.ofMillis(200);
    /**
     * A gap this long between two looks means the process was stopped (a pause fault:
     * SIGSTOP, then SIGCONT). Requests that waited in stdin meanwhile may be older than
     * the client timeout, and how much older no line says: they go unanswered. Shorter
     * gaps leave every such request time to be answered before its client gives up.
     */
    private static final long STALL_NANOS = Duration.ofSeconds(4).toNanos();
    /** How long after a stall ends lines still count as read from the backlog. */
    private static final long BACKLOG_NANOS = TICK.toNanos();

    /** The requests read from {@code from} to {@code to} (nanoTime) waited out a stall. */
    private record Stall(long from, long to) {
        boolean covers(long receivedAt) {
            return receivedAt >= from && receivedAt <= to;
        }
    }

    private volatile long lastLook = System.nanoTime();
    private volatile Stall stall = new Stall(0, -1);

    /** A node on stdin and stdout. */
    public Node() {
        this(System.in, System.out);
    }

    /** A node on the given streams (tests drive nodes this way). */
    public Node(InputStream in, OutputStream out) {
        this.input = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
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
     * does, but on the thread that reads stdin, each before the next line is read: for a
     * handler that never waits for another message (no {@link #syncRpc}, no {@link KV}
     * call), whose messages must take effect in the order they arrived, as a read must
     * see what a message delivered before it brought.
     */
    public <T extends Record> void handleInOrder(Class<T> bodyType, Handler<T> handler) {
        route(Json.typeName(bodyType), new Route<>(bodyType, handler, true));
    }

    private void route(String type, Route<?> route) {
        if (type.equals("init")) throw new IllegalArgumentException("init is answered by the node: use onInit");
        Binding.check(route.bodyType());
        if (routes.putIfAbsent(type, route) != null) {
            throw new IllegalArgumentException("a second handler for '" + type + "'");
        }
    }

    /**
     * Runs {@code listener} once, at the first well-formed init, before {@code init_ok}
     * is sent and before any periodic task, on the thread that reads stdin: no message
     * is handled until it returns. If it throws, init is answered with error 13 (the
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
        pending.put(msgId, reply);
        reply.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
                .whenComplete((r, e) -> pending.remove(msgId));
        write(dest, Json.body(body).put("msg_id", msgId));
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
        try {
            for (String line; (line = input.readLine()) != null; ) {
                if (!line.isBlank()) receive(line, look());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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

    /** Looks at the clock, as the stall watch does every tick; returns the time. */
    private long look() {
        long now = System.nanoTime();
        long last = lastLook;
        if (now - last > STALL_NANOS) {
            stall = new Stall(last, now + BACKLOG_NANOS);
            log("this process was stopped for %.1f s: the clients' requests it held meanwhile go unanswered,"
                    + " as their clients may have given up", (now - last) / 1e9);
        }
        lastLook = now;
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
        if (body.path("type").asText().equals("init") && !body.has("in_reply_to")) {
            init(src, body, receivedAt); // in order, here: every later message then sees this node's id
            return;
        }
        if (!body.has("in_reply_to") && routes.get(body.path("type").asText("")) instanceof Route<?> route
                && route.inOrder()) {
            dispatch(src, body, receivedAt);
            return;
        }
        synchronized (inFlightLock) {
            inFlight++;
        }
        Thread.startVirtualThread(() -> {
            try {
                dispatch(src, body, receivedAt);
            } finally {
                synchronized (inFlightLock) {
                    if (--inFlight == 0) inFlightLock.notifyAll();
                }
            }
        });
    }

    private void dispatch(String src, ObjectNode body, long receivedAt) {
        JsonNode inReplyTo = body.get("in_reply_to");
        if (inReplyTo != null && inReplyTo.canConvertToLong()) {
            complete(inReplyTo.asLong(), body);
            return;
        }
        String type = body.path("type").asText("");
        if (routes.get(type) instanceof Route<?> route) {
            serve(route, src, body, receivedAt);
        } else if (type.equals("error") || type.endsWith("_ok")) {
            log("dropping an unrequested %s from %s: %s", type, src, body);
        } else {
            replyError(src, body, new RpcError(RpcError.NOT_SUPPORTED, "unsupported message type '" + type + "'"),
                    receivedAt);
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
     * tasks, all before init is answered.
     */
    private void init(String src, ObjectNode body, long receivedAt) {
        Init init;
        try {
            init = Json.request(body, Init.class);
        } catch (RpcError e) {
            replyError(src, body, e, receivedAt); // before a first good init this is only logged: the node has no id to send from
            return;
        }
        RpcError failed = null;
        synchronized (this) {
            id = init.nodeId();
            nodeIds = List.copyOf(init.nodeIds());
            if (!initialized) {
                initialized = true;
                for (Runnable listener : initListeners) {
                    try {
                        listener.run();
                    } catch (Throwable e) {
                        logFailure("init listener", e);
                        if (failed == null) failed = new RpcError(RpcError.CRASH, "init failed: " + e);
                    }
                }
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

    private void complete(long msgId, ObjectNode body) {
        CompletableFuture<ObjectNode> reply = pending.remove(msgId);
        if (reply == null) return; // it timed out already: its caller has moved on
        if (body.path("type").asText().equals("error")) {
            reply.completeExceptionally(new RpcError(body.path("code").asInt(RpcError.CRASH), body.path("text").asText("")));
        } else {
            reply.complete(body);
        }
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
     * to a client that has given up (see {@link #CLIENT_TIMEOUT_NANOS}), it only logs it.
     */
    void reply(String dest, long inReplyTo, ObjectNode body, long receivedAt) {
        if (dest.startsWith("c")) { // Maelstrom's clients are c1, c2, ...; nodes and services never give up
            long waited = System.nanoTime() - receivedAt;
            long timeout = "init_ok".equals(body.path("type").asText()) ? INIT_TIMEOUT_NANOS : CLIENT_TIMEOUT_NANOS;
            if (waited > timeout || stall.covers(receivedAt)) {
                log("not answering %s %d ms after its request, which %s: %s", dest, waited / 1_000_000,
                        waited > timeout ? "is past its client's timeout" : "waited out a stop of this process", body);
                return;
            }
        }
        write(dest, body.put("in_reply_to", inReplyTo));
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
}
