package bench.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A synchronous Maelstrom client: one request at a time, replies to anything else it
 * sent earlier are discarded, as Maelstrom's clients do.
 */
public final class Client implements Network.Endpoint, AutoCloseable {

    private final String id;
    private final Network network;
    private long lastMsgId;
    private volatile Pending pending;
    private volatile boolean abandoned;

    /** The request being waited for; one object, so a reply never meets half of it. */
    private record Pending(long msgId, CompletableFuture<ObjectNode> reply) {
    }

    /** Registers a client named {@code id} on the network. */
    public Client(String id, Network network) {
        this.id = id;
        this.network = network;
        network.register(id, this);
    }

    /** The client's id ("c4"). */
    public String id() {
        return id;
    }

    /**
     * Adds the next msg_id to {@code body}, sends it to {@code dest}, and waits for the
     * reply.
     *
     * @return the reply body, or null when none came within the timeout
     */
    public ObjectNode call(String dest, ObjectNode body, Duration timeout) throws InterruptedException {
        long msgId = ++lastMsgId;
        body.put("msg_id", msgId);
        CompletableFuture<ObjectNode> future = new CompletableFuture<>();
        pending = new Pending(msgId, future);
        network.send(id, dest, body);
        if (abandoned) {
            // abandon() may have run before pending was set, and then missed it.
            future.complete(null);
        }
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        } finally {
            pending = null;
        }
    }

    @Override
    public void deliver(Network.Message message) {
        JsonNode inReplyTo = message.body().get("in_reply_to");
        Pending waiting = pending;
        if (waiting != null && inReplyTo != null && inReplyTo.isIntegralNumber() && inReplyTo.asLong() == waiting.msgId()) {
            waiting.reply().complete(message.body());
        }
    }

    /** Stops waiting for the current request's reply and any later one, as if they had timed out. */
    public void abandon() {
        abandoned = true;
        Pending waiting = pending;
        if (waiting != null) {
            waiting.reply().complete(null);
        }
    }

    /** Takes the client off the network. */
    @Override
    public void close() {
        network.unregister(id);
    }
}
