package lib;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A message a handler received: who sent it, its body as the handler's record, and
 * the means to answer it. A handler may keep it and reply later, from any thread.
 *
 * @param <T> the record the body was read into
 */
public final class Request<T> {

    private final Node node;
    private final String src;
    private final ObjectNode raw;
    private final T body;
    private final long receivedAt;

    Request(Node node, String src, ObjectNode raw, T body, long receivedAt) {
        this.node = node;
        this.src = src;
        this.raw = raw;
        this.body = body;
        this.receivedAt = receivedAt;
    }

    /** The sender: a client ({@code c4}), a node ({@code n2}) or a service. */
    public String src() {
        return src;
    }

    /** The body, read into the handler's record. */
    public T body() {
        return body;
    }

    /** Whether the sender expects an answer (the message carries a {@code msg_id}). */
    private boolean expectsReply() {
        return raw.hasNonNull("msg_id");
    }

    /**
     * Answers with {@code reply} (a record, typed by its class name). A message that
     * asked for no answer gets none, and neither does a client that has given up waiting
     * (the node logs it): Maelstrom would stop reading this node's output.
     */
    public void reply(Object reply) {
        if (expectsReply()) node.reply(src, raw.get("msg_id").asLong(), Json.body(reply), receivedAt);
    }

    /** Answers with a Maelstrom error. */
    public void fail(RpcError error) {
        node.replyError(src, raw, error, receivedAt);
    }

    @Override
    public String toString() {
        return src + " " + raw;
    }
}
