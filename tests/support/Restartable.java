package tests.support;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import lib.Disk;

/**
 * One node through a test of its own, as Maelstrom's kill fault runs it: each
 * incarnation is a new process, started through a shell that does not exec it (so its
 * parent differs from the last one's, as a user's own wrapper makes it), on its own
 * stdin and stdout, from the temp dir. The test's {@code lin-kv} service lives here:
 * every message the node sends it is answered here, from one map for the whole test,
 * as Maelstrom's is; each Restartable is a test of its own, with a fresh map.
 */
public final class Restartable implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = Path.of("").toAbsolutePath();

    private final List<String> command;
    private final TestLinKv linKv = new TestLinKv();
    private Process node;
    private Writer in;
    private BufferedReader out;

    private Restartable(List<String> command) throws IOException {
        this.command = command;
        launch();
    }

    /** Starts the node {@code name} (a workload or a script's path) with {@code args}; its stderr is discarded. */
    public static Restartable start(String name, String... args) throws IOException {
        var command = new ArrayList<>(List.of("sh", "-c", "\"$@\"; exit $?", // two commands: sh waits, it does not exec
                "wrapper", ROOT.resolve("maelstrom.sh").toString(), name));
        command.addAll(List.of(args));
        return new Restartable(command);
    }

    private void launch() throws IOException {
        node = new ProcessBuilder(command).directory(Path.of(System.getProperty("java.io.tmpdir")).toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        in = new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8);
        out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Writes a line to the node's stdin. */
    public void send(String line) throws IOException {
        in.write(line + "\n");
        in.flush();
    }

    /** Sends {@code body} from {@code src} to {@code dest}. */
    public void send(String src, String dest, String body) throws IOException {
        send("{\"src\":\"" + src + "\",\"dest\":\"" + dest + "\",\"body\":" + body + "}");
    }

    /** Sends init to the node as {@code id} of {@code all}, and returns the answer's body. */
    public JsonNode init(String id, String... all) throws IOException, InterruptedException {
        send("c0", id, "{\"type\":\"init\",\"node_id\":\"" + id + "\",\"node_ids\":[\"" + String.join("\",\"", all)
                + "\"],\"msg_id\":0}");
        return nextTo("c0", Duration.ofSeconds(20)).get("body");
    }

    /**
     * The next message the node prints, or null when none comes {@code within}; what it
     * sends {@code lin-kv} is answered, not returned.
     */
    public JsonNode next(Duration within) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            while (!out.ready()) {
                if (System.nanoTime() > deadline) return null;
                Thread.sleep(5);
            }
            String line = out.readLine();
            assertNotNull(line, "the node ended its output");
            JsonNode message = JSON.readTree(line);
            String answer = linKv.answer(message);
            if (answer == null) return message;
            send(answer);
        }
    }

    /**
     * The next line the node prints, ending in its newline, or its first {@code max}
     * characters without one when it is longer: the rest stays unread (the node writing
     * it waits on the full pipe meanwhile) and the next call goes on with it. Null when
     * nothing comes {@code within}.
     */
    public String nextChunk(int max, Duration within) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!out.ready()) {
            if (System.nanoTime() > deadline) return null;
            Thread.sleep(5);
        }
        var chunk = new StringBuilder();
        for (int c; chunk.length() < max && (c = out.read()) >= 0; ) {
            chunk.append((char) c);
            if (c == '\n') break;
        }
        return chunk.toString();
    }

    /** The next message to {@code dest}, skipping others; fails after {@code within}. */
    public JsonNode nextTo(String dest, Duration within) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        for (JsonNode m; (m = next(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) != null; ) {
            if (m.path("dest").asText().equals(dest)) return m;
        }
        throw new AssertionError("nothing sent to " + dest + " within " + within);
    }

    /** The body of the answer to {@code dest}'s request {@code msgId}, skipping other messages; fails after {@code within}. */
    public JsonNode replyTo(String dest, long msgId, Duration within) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            JsonNode body = nextTo(dest, Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))).get("body");
            if (body.path("in_reply_to").asLong(-1) == msgId) return body;
        }
    }

    /** Sends a client's request and returns the body of its answer. */
    public JsonNode call(String client, String dest, String body) throws IOException, InterruptedException {
        send(client, dest, body);
        return replyTo(client, JSON.readTree(body).path("msg_id").asLong(), Duration.ofSeconds(10));
    }

    /** The folder where node {@code nodeId} keeps its state in this test, as lin-kv names it (lib/Disk owns where). */
    public Path folder(String nodeId) {
        JsonNode name = linKv.value(Disk.KEY + nodeId);
        assertTrue(name.isTextual(), "lin-kv names no folder for " + nodeId + ": " + name);
        return Disk.root().resolve(name.asText());
    }

    /**
     * SIGKILLs the running incarnation, its wrapper and all under it, as Maelstrom's kill
     * does, waits for them to end, and starts the next incarnation through a new wrapper.
     */
    public void kill() throws IOException {
        ProcessHandle wrapper = node.toHandle();
        List<ProcessHandle> all = new ArrayList<>(wrapper.descendants().toList());
        all.add(wrapper);
        all.forEach(ProcessHandle::destroyForcibly);
        all.forEach(p -> p.onExit().orTimeout(10, TimeUnit.SECONDS).join());
        node.getOutputStream().close();
        launch();
    }

    @Override
    public void close() {
        node.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        node.destroyForcibly();
    }
}
