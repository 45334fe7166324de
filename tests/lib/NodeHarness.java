package tests.lib;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import lib.Node;

/**
 * Drives a {@link Node} through in-memory streams: lines written here are its stdin,
 * and every line it prints is parsed and queued here.
 */
final class NodeHarness implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Bytes for the node's stdin; an empty array marks the end of input. */
    private final BlockingQueue<byte[]> input = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> output = new LinkedBlockingQueue<>();
    final Node node;
    private final Thread runner;

    private NodeHarness(Consumer<Node> setup) {
        node = new Node(new QueueInput(), new LineOutput());
        setup.accept(node);
        runner = Thread.ofPlatform().name("node").start(node::run);
    }

    /** A node set up by {@code setup}, running. */
    static NodeHarness start(Consumer<Node> setup) {
        return new NodeHarness(setup);
    }

    /** A running node set up by {@code setup} that has answered init as n1 of n1, n2, n3. */
    static NodeHarness started(Consumer<Node> setup) {
        var harness = start(setup);
        harness.send("c0", """
                {"type":"init","node_id":"n1","node_ids":["n1","n2","n3"],"msg_id":1}""");
        harness.next();
        return harness;
    }

    /** Writes a raw line to the node's stdin. */
    void line(String line) {
        input.add((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Sends {@code body} to the node from {@code src}. */
    void send(String src, String body) {
        line("{\"src\":\"" + src + "\",\"dest\":\"n1\",\"body\":" + body + "}");
    }

    /** The next message the node printed; fails after five seconds without one. */
    ObjectNode next() {
        ObjectNode message = nextOrNull(Duration.ofSeconds(5));
        assertNotNull(message, "the node printed nothing within 5 s");
        return message;
    }

    /** The next message the node printed within {@code timeout}, or null. */
    ObjectNode nextOrNull(Duration timeout) {
        String line = poll(timeout);
        if (line == null) return null;
        try {
            return (ObjectNode) JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("the node printed a line that is not JSON: " + line, e);
        }
    }

    /** The next message's body. */
    JsonNode nextBody() {
        return next().get("body");
    }

    /** Asserts the node prints nothing for {@code quiet}. */
    void assertSilent(Duration quiet) {
        String line = poll(quiet);
        assertNull(line, "the node printed " + line);
    }

    private String poll(Duration timeout) {
        try {
            return output.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Closes the node's stdin and waits for {@link Node#run} to return. */
    boolean closeInput(Duration wait) throws InterruptedException {
        input.add(new byte[0]);
        return runner.join(wait);
    }

    @Override
    public void close() throws InterruptedException {
        closeInput(Duration.ofSeconds(10));
    }

    /** Stdin fed from the queue; blocks like a pipe. */
    private final class QueueInput extends InputStream {
        private byte[] current = new byte[0];
        private int position;
        private boolean ended;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            if (ended) return -1;
            while (position == current.length) {
                try {
                    current = input.take();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                position = 0;
                if (current.length == 0) {
                    ended = true;
                    return -1;
                }
            }
            int n = Math.min(length, current.length - position);
            System.arraycopy(current, position, into, offset, n);
            position += n;
            return n;
        }
    }

    /** Stdout split into lines. */
    private final class LineOutput extends OutputStream {
        private byte[] pending = new byte[0];

        @Override
        public synchronized void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            byte[] all = new byte[pending.length + length];
            System.arraycopy(pending, 0, all, 0, pending.length);
            System.arraycopy(bytes, offset, all, pending.length, length);
            int start = 0;
            for (int i = 0; i < all.length; i++) {
                if (all[i] == '\n') {
                    output.add(new String(all, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            pending = Arrays.copyOfRange(all, start, all.length);
        }
    }
}
