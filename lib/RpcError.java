package lib;

import java.util.Set;

/**
 * A Maelstrom error: thrown by RPCs that got an error reply (or none in time), and
 * thrown by handlers to answer a request with that error.
 *
 * <p>Unchecked, so handlers written as lambdas can throw it and let the node turn it
 * into an {@code error} reply.
 */
public final class RpcError extends RuntimeException {

    // Maelstrom's codes (its resources/errors.edn). Whether each is definite is decided in
    // one place, DEFINITE below.

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

    /**
     * The codes that say the operation certainly did not happen, as Maelstrom's error
     * registry marks them. Every other code, 0 and 13 and any Maelstrom does not know
     * (1000 and up, free for nodes), may have happened: Maelstrom's client takes an error
     * missing from its registry as indefinite.
     */
    private static final Set<Integer> DEFINITE = Set.of(NODE_NOT_FOUND, NOT_SUPPORTED, TEMPORARILY_UNAVAILABLE,
            MALFORMED_REQUEST, ABORT, KEY_DOES_NOT_EXIST, KEY_ALREADY_EXISTS, PRECONDITION_FAILED, TXN_CONFLICT);

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

    /**
     * Whether the operation certainly did not happen: the code is one Maelstrom marks
     * definite. Timeout, crash and codes Maelstrom does not define are not.
     */
    public boolean definite() {
        return definite(code);
    }

    /**
     * Whether an error with this {@code code} says the operation certainly did not
     * happen, as Maelstrom's clients judge it; the bench classifies replies by it too.
     */
    public static boolean definite(int code) {
        return DEFINITE.contains(code);
    }

    @Override
    public String toString() {
        return "RpcError " + code + ": " + getMessage();
    }
}
