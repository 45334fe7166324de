package bench;

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
    private volatile long awaited = -1;
    private volatile CompletableFuture<ObjectNode> reply;

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
        reply = future;
        awaited = msgId;
        network.send(id, dest, body);
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        } finally {
            awaited = -1;
        }
    }

    @Override
    public void deliver(Network.Message message) {
        JsonNode inReplyTo = message.body().get("in_reply_to");
        CompletableFuture<ObjectNode> future = reply;
        if (inReplyTo != null && inReplyTo.isIntegralNumber() && inReplyTo.asLong() == awaited && future != null) {
            future.complete(message.body());
        }
    }

    /** Takes the client off the network. */
    @Override
    public void close() {
        network.unregister(id);
    }
}
