package bench;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One client operation as the checkers see it: the request a client sent to a node
 * and how it ended. Times are nanoseconds since the start of the test.
 *
 * @param process  the Jepsen-style process number; a process whose request timed out
 *                 is retired and its client continues as process + concurrency
 * @param client   the client's id on the wire ("c3")
 * @param node     the node the request was sent to
 * @param f        the request's type ("send", "read", ...)
 * @param request  the request body as sent (with msg_id)
 * @param reply    the reply body, or null when none came
 * @param type     how the operation ended
 * @param invokedAt   when the request was sent; for an operation the results count, when
 *                    the interpreter invoked it ({@link bench.Schedule})
 * @param completedAt when the reply came, or when the client gave up; for an operation
 *                    the results count, when the interpreter took its completion
 * @param isFinal  whether it belongs to the final phase (after heal and quiet)
 */
public record Op(int process, String client, String node, String f, ObjectNode request, ObjectNode reply,
                 Type type, long invokedAt, long completedAt, boolean isFinal) {

    /** Jepsen's completion types. */
    public enum Type {
        /** The node answered with the expected reply. */
        OK,
        /** The node answered with a definite error: the operation certainly did not happen. */
        FAIL,
        /** Unknown outcome: timeout, crash (error 0 or 13), or no answer before the end. */
        INFO
    }

    /** This operation, ended as {@code last} ended: a request and its continuations as one. */
    public Op endingAs(Op last) {
        return new Op(process, client, node, f, request, reply, last.type, invokedAt, last.completedAt, isFinal);
    }

    /** This operation with the interpreter's times instead of its client's. */
    public Op timed(long invoked, long completed) {
        return new Op(process, client, node, f, request, reply, type, invoked, completed, isFinal);
    }

    /** Whether the node answered with the expected reply. */
    public boolean ok() {
        return type == Type.OK;
    }
}
