package lib;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A client of one of Maelstrom's key-value services. Keys and values are any JSON
 * value: strings, numbers, lists, maps or records.
 *
 * <p>Every call has an asynchronous form returning a future and a blocking form that
 * throws the {@link RpcError} that came back: {@link RpcError#KEY_DOES_NOT_EXIST},
 * {@link RpcError#PRECONDITION_FAILED}, or {@link RpcError#TIMEOUT}.
 */
public final class KV {

    /** Sequentially consistent: a read may be stale, but never older than this client saw. */
    public static final String SEQ = "seq-kv";
    /** Linearizable. */
    public static final String LIN = "lin-kv";
    /** Last write wins over replicas: writes may be lost. */
    public static final String LWW = "lww-kv";

    /** How long a call waits for the service before failing with a timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

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
    private final Duration timeout;

    /** A client of {@code service} (such as {@link #LIN}) whose calls give up after {@code timeout}. */
    public KV(Node node, String service, Duration timeout) {
        this.node = node;
        this.service = service;
        this.timeout = timeout;
    }

    /** A client of {@code seq-kv}. */
    public static KV seq(Node node) {
        return new KV(node, SEQ, DEFAULT_TIMEOUT);
    }

    /** A client of {@code lin-kv}. */
    public static KV lin(Node node) {
        return new KV(node, LIN, DEFAULT_TIMEOUT);
    }

    /** A client of {@code lww-kv}. */
    public static KV lww(Node node) {
        return new KV(node, LWW, DEFAULT_TIMEOUT);
    }

    /** Reads {@code key}'s value as {@code type}; fails with error 20 when there is none. */
    public <T> CompletableFuture<T> readAsync(Object key, Class<T> type) {
        return node.rpc(service, new Read(key), ReadOk.class, timeout).thenApply(ok -> Json.convert(ok.value(), type));
    }

    /** Sets {@code key} to {@code value}. */
    public CompletableFuture<Void> writeAsync(Object key, Object value) {
        return node.rpc(service, new Write(key, value), JsonNode.class, timeout).thenApply(ok -> null);
    }

    /**
     * Sets {@code key} to {@code to} if it holds {@code from}; fails with error 22 if it
     * holds something else, and with error 20 if it holds nothing, unless
     * {@code createIfNotExists}.
     */
    public CompletableFuture<Void> casAsync(Object key, Object from, Object to, boolean createIfNotExists) {
        return node.rpc(service, new Cas(key, from, to, createIfNotExists), JsonNode.class, timeout).thenApply(ok -> null);
    }

    /** Reads {@code key}'s value as {@code type}; throws error 20 when there is none. */
    public <T> T read(Object key, Class<T> type) {
        return Node.await(readAsync(key, type));
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
        Node.await(writeAsync(key, value));
    }

    /** Compare-and-set; see {@link #casAsync}. */
    public void cas(Object key, Object from, Object to, boolean createIfNotExists) {
        Node.await(casAsync(key, from, to, createIfNotExists));
    }
}
