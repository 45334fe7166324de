package lib;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * A client of one of Maelstrom's key-value services, {@code seq-kv} or {@code lin-kv}.
 * Keys and values are any JSON value: strings, numbers, lists, maps or records.
 *
 * <p>Every call blocks, as handlers may (each runs on a virtual thread of its own), and
 * throws the {@link RpcError} that came back: {@link RpcError#KEY_DOES_NOT_EXIST},
 * {@link RpcError#PRECONDITION_FAILED}, {@link RpcError#TIMEOUT}, or
 * {@link RpcError#CRASH} for an answer that does not fit.
 */
public final class KV {

    /** How long a call waits for the service before failing with a timeout. */
    public static final Duration TIMEOUT = Duration.ofSeconds(1);

    private record Read(Object key) {
    }

    private record ReadOk(JsonNode value) {
    }

    private record Write(Object key, Object value) {
    }

    private record Cas(Object key, Object from, Object to, boolean createIfNotExists) {
    }

    private final Node node;
    private final String service;

    private KV(Node node, String service) {
        this.node = node;
        this.service = service;
    }

    /** A client of {@code seq-kv}: sequentially consistent, so a read may be stale, but never older than this node saw. */
    public static KV seq(Node node) {
        return new KV(node, "seq-kv");
    }

    /** A client of {@code lin-kv}: linearizable. */
    public static KV lin(Node node) {
        return new KV(node, "lin-kv");
    }

    /**
     * Reads {@code key}'s value as {@code type}; throws error 20 when there is none. A
     * type the binding cannot read fails with an IllegalArgumentException, unsent.
     */
    public <T> T read(Object key, Class<T> type) {
        Binding.check(type);
        JsonNode value = node.syncRpc(service, new Read(key), ReadOk.class, TIMEOUT).value();
        return Json.reply(value, type, service);
    }

    /** Reads {@code key}'s value as {@code type}, or returns {@code absent} when there is none. */
    public <T> T read(Object key, Class<T> type, T absent) {
        try {
            return read(key, type);
        } catch (RpcError e) {
            if (e.code() == RpcError.KEY_DOES_NOT_EXIST) return absent;
            throw e;
        }
    }

    /** Sets {@code key} to {@code value}. */
    public void write(Object key, Object value) {
        node.syncRpc(service, new Write(key, value), JsonNode.class, TIMEOUT);
    }

    /**
     * Sets {@code key} to {@code to} if it holds {@code from}; throws error 22 if it holds
     * something else, and error 20 if it holds nothing, unless {@code createIfNotExists}.
     */
    public void cas(Object key, Object from, Object to, boolean createIfNotExists) {
        node.syncRpc(service, new Cas(key, from, to, createIfNotExists), JsonNode.class, TIMEOUT);
    }
}
