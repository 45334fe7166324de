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
 * from any thread.
 *
 * <p>Bad input never stops the node: a line that is not a message is logged and
 * skipped; a request of an unknown type is answered with error 10, one whose body does
 * not fit the handler's record with error 12, and a handler that throws answers with
 * the {@link RpcError} it threw, or error 13 for any other exception.
 */
public final class Node {

    /** Handles one request; it may reply at once, later, or never. */
    @FunctionalInterface
    public interface Handler<T> {
        /** Handles {@code request}; an exception becomes an error reply. */
        void handle(Request<T> request) throws Exception;
    }

    private record Route<T>(Class<T> bodyType, Handler<T> handler) {
    }

    private record Periodic(Duration period, Runnable task) {
    }

    private final BufferedReader input;
    private final PrintStream output;
    private final Map<String, Route<?>> routes = new ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<ObjectNode>> pending = new ConcurrentHashMap<>();
    private final List<Periodic> periodics = new ArrayList<>();
    private final List<Thread> periodicThreads = new ArrayList<>(); // guarded by this
    private final List<Runnable> initListeners = new ArrayList<>();
    private final AtomicLong nextMsgId = new AtomicLong();
    private final Object inFlightLock = new Object();
    private int inFlight; // messages being handled; guarded by inFlightLock
    private volatile String id;
    private volatile List<String> nodeIds = List.of();

    /** How long a node whose stdin closed waits for the requests it is still handling. */
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);

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
     * IllegalArgumentException, rather than at the first message.
     */
    public <T extends Record> void handle(Class<T> bodyType, Handler<T> handler) {
        Binding.check(bodyType);
        routes.put(Json.typeName(bodyType), new Route<>(bodyType, handler));
    }

    /** Runs {@code listener} once, after init is answered, before any periodic task. */
    public synchronized void onInit(Runnable listener) {
        initListeners.add(listener);
    }

    /**
     * Runs {@code task} every {@code period} once init is done, on a virtual thread of
     * its own; an exception is logged and the next round goes on.
     */
    public synchronized void every(Duration period, Runnable task) {
        periodics.add(new Periodic(period, task));
    }

    /** Sends {@code body} (a record) to {@code dest}, expecting no answer. */
    public void send(String dest, Object body) {
        write(dest, Json.body(body));
    }

    /**
     * Sends {@code body} to {@code dest} and returns its answer, read into
     * {@code replyType} ({@code JsonNode.class} takes it as it is). The future fails
     * with an {@link RpcError}: the error that came back, or {@link RpcError#TIMEOUT}
     * when nothing came within {@code timeout}.
     */
    public <R> CompletableFuture<R> rpc(String dest, Object body, Class<R> replyType, Duration timeout) {
        long msgId = nextMsgId.incrementAndGet();
        var reply = new CompletableFuture<ObjectNode>();
        pending.put(msgId, reply);
        reply.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
                .whenComplete((r, e) -> pending.remove(msgId));
        write(dest, Json.body(body).put("msg_id", msgId));
        return reply.handle((r, e) -> {
            if (e == null) return Json.convert(r, replyType);
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
        try {
            for (String line; (line = input.readLine()) != null; ) {
                if (!line.isBlank()) receive(line);
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

    private void receive(String line) {
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
            init(src, body); // in order, here: every later message then sees this node's id
            return;
        }
        synchronized (inFlightLock) {
            inFlight++;
        }
        Thread.startVirtualThread(() -> {
            try {
                dispatch(src, body);
            } finally {
                synchronized (inFlightLock) {
                    if (--inFlight == 0) inFlightLock.notifyAll();
                }
            }
        });
    }

    private void dispatch(String src, ObjectNode body) {
        JsonNode inReplyTo = body.get("in_reply_to");
        if (inReplyTo != null && inReplyTo.canConvertToLong()) {
            complete(inReplyTo.asLong(), body);
            return;
        }
        String type = body.path("type").asText("");
        if (routes.get(type) instanceof Route<?> route) {
            serve(route, src, body);
        } else if (type.equals("error") || type.endsWith("_ok")) {
            log("dropping an unrequested %s from %s: %s", type, src, body);
        } else {
            replyError(src, body, new RpcError(RpcError.NOT_SUPPORTED, "unsupported message type '" + type + "'"));
        }
    }

    private <T> void serve(Route<T> route, String src, ObjectNode body) {
        try {
            T request = Json.convert(body, route.bodyType());
            route.handler().handle(new Request<>(this, src, body, request));
        } catch (RpcError e) {
            replyError(src, body, e);
        } catch (Exception e) {
            log("handler for %s from %s failed on %s", body.path("type").asText(), src, body);
            e.printStackTrace();
            replyError(src, body, new RpcError(RpcError.CRASH, e.toString()));
        }
    }

    private record Init(String nodeId, List<String> nodeIds) {
    }

    private void init(String src, ObjectNode body) {
        Init init;
        try {
            init = Json.convert(body, Init.class);
        } catch (RpcError e) {
            replyError(src, body, e);
            return;
        }
        synchronized (this) {
            boolean first = id == null;
            id = init.nodeId();
            nodeIds = List.copyOf(init.nodeIds());
            if (body.hasNonNull("msg_id")) {
                reply(src, body.get("msg_id").asLong(), Json.NODES.objectNode().put("type", "init_ok"));
            }
            if (!first) return;
            initListeners.forEach(Runnable::run);
            periodics.forEach(this::start);
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
                } catch (RuntimeException e) {
                    log("periodic task failed: %s", e);
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

    /** Answers {@code request} with {@code error}, or logs it when the request asked for no answer. */
    void replyError(String src, ObjectNode request, RpcError error) {
        if (request.hasNonNull("msg_id")) {
            reply(src, request.get("msg_id").asLong(), errorBody(error));
        } else {
            log("%s from %s asked for no reply: %s", error, src, request);
        }
    }

    private static ObjectNode errorBody(RpcError error) {
        return Json.NODES.objectNode().put("type", "error").put("code", error.code()).put("text", error.text());
    }

    void reply(String dest, long inReplyTo, ObjectNode body) {
        write(dest, body.put("in_reply_to", inReplyTo));
    }

    private void write(String dest, ObjectNode body) {
        ObjectNode message = Json.NODES.objectNode();
        message.put("src", id).put("dest", dest).set("body", body);
        String line = Json.write(message);
        synchronized (output) { // one writer at a time: lines never interleave
            output.println(line);
            output.flush();
        }
    }
}
