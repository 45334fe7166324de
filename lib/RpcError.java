package lib;

/**
 * A Maelstrom error: thrown by RPCs that got an error reply (or none in time), and
 * thrown by handlers to answer a request with that error.
 *
 * <p>Unchecked, so handlers written as lambdas can throw it and let the node turn it
 * into an {@code error} reply.
 */
public final class RpcError extends RuntimeException {

    /** The request timed out; it may or may not have happened. */
    public static final int TIMEOUT = 0;
    /** The destination node does not exist. */
    public static final int NODE_NOT_FOUND = 1;
    /** The message type is not supported by the receiver. */
    public static final int NOT_SUPPORTED = 10;
    /** The operation cannot be done now; try again later. */
    public static final int TEMPORARILY_UNAVAILABLE = 11;
    /** The request is malformed: a field is missing or of the wrong kind. */
    public static final int MALFORMED_REQUEST = 12;
    /** The receiver failed unexpectedly; the operation may or may not have happened. */
    public static final int CRASH = 13;
    /** The operation was aborted. */
    public static final int ABORT = 14;
    /** The key does not exist. */
    public static final int KEY_DOES_NOT_EXIST = 20;
    /** The key already exists. */
    public static final int KEY_ALREADY_EXISTS = 21;
    /** A precondition (such as a compare-and-set's expected value) did not hold. */
    public static final int PRECONDITION_FAILED = 22;
    /** The transaction conflicted with another and was aborted. */
    public static final int TXN_CONFLICT = 30;

    private final int code;

    /** An error with Maelstrom's {@code code} and a readable {@code text}. */
    public RpcError(int code, String text) {
        super(text, null, false, false); // no stack trace: these are answers, not bugs
        this.code = code;
    }

    /** Maelstrom's error code. */
    public int code() {
        return code;
    }

    /** The error's text. */
    public String text() {
        return getMessage();
    }

    /** Whether the operation certainly did not happen (every code but timeout and crash). */
    public boolean definite() {
        return code != TIMEOUT && code != CRASH;
    }

    @Override
    public String toString() {
        return "RpcError " + code + ": " + getMessage();
    }
}
