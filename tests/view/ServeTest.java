package tests.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bench.cli.ServeCommand;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code bench serve}: the index and a run's page, on the loopback address, and nothing from outside the store. */
class ServeTest {

    static Path store;
    static HttpServer server;

    /** A store of two runs, a secret beside it and a link from inside it to the secret. */
    @BeforeAll
    static void serve() throws IOException {
        Path top = Files.createTempDirectory("serve");
        Files.writeString(top.resolve("secret.txt"), "SECRET");
        store = Files.createDirectories(top.resolve("store"));
        for (String stamp : List.of("20260101T000000.000", "20260102T000000.000")) {
            Path run = Files.createDirectories(store.resolve("echo").resolve(stamp));
            Files.writeString(run.resolve("results.json"), """
                    {"valid":"valid","test":{"workload":"echo","node-count":1,"time-limit":10.0,"rate":5.0,
                     "latency":0,"nemesis":"","seed":%s,"args":["echo"]},
                     "ops":{"invoked":50},"availability":{"ok-fraction":1.0},
                     "net":{"servers":{"msgs-per-op":0.0}},"latencies":{"echo":{"0.5":1.5,"1":9.0}}}
                    """.formatted(stamp.substring(7, 8)));
            Files.write(run.resolve("rate.png"), new byte[]{(byte) 0x89, 'P', 'N', 'G'});
            Files.createDirectories(run.resolve("node-logs"));
            Files.writeString(run.resolve("node-logs").resolve("n0.log"), "n0 says hello\n");
        }
        Files.createSymbolicLink(store.resolve("echo").resolve("leak.txt"), top.resolve("secret.txt"));
        server = ServeCommand.start(store, 0);
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    /** The status line and body of a request sent byte for byte as given, no client tidying the path. */
    static String[] get(String path) throws IOException {
        try (Socket socket = new Socket(server.getAddress().getAddress(), server.getAddress().getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int blank = response.indexOf("\r\n\r\n");
            return new String[]{response.substring(0, response.indexOf("\r\n")), response.substring(blank + 4)};
        }
    }

    @Test
    void bindsToTheLoopbackAddressOnly() {
        assertTrue(server.getAddress().getAddress().isLoopbackAddress(), server.getAddress().toString());
    }

    @Test
    void theIndexListsRunsNewestFirstWithTheirFigures() throws IOException {
        String[] r = get("/");
        assertEquals("HTTP/1.1 200 OK", r[0]);
        int newer = r[1].indexOf("20260102T000000.000"), older = r[1].indexOf("20260101T000000.000");
        assertTrue(newer > 0 && older > newer, "newest first: " + r[1]);
        assertTrue(r[1].contains("--node-count 1") && r[1].contains(">valid<") && r[1].contains("1.5 / 9.0"), r[1]);
    }

    @Test
    void aRunsPageShowsItsPicturesLogsAndResults() throws IOException {
        assertTrue(get("/echo/20260101T000000.000")[0].startsWith("HTTP/1.1 301"), "to the folder, for relative links");
        String page = get("/echo/20260101T000000.000/")[1];
        assertTrue(page.contains("<img src=\"rate.png\""), page);
        assertTrue(!page.contains("latency-raw.png\""), "a picture the run lacks is not shown broken");
        assertTrue(page.contains("href=\"node-logs/n0.log\""), page);
        assertEquals("n0 says hello\n", get("/echo/20260101T000000.000/node-logs/n0.log")[1]);
    }

    @Test
    void neverServesAFileOutsideTheStore() throws IOException {
        for (String path : List.of("/../secret.txt", "/echo/../../secret.txt", "/%2e%2e/secret.txt",
                "/echo/%2E%2E/%2e%2e/secret.txt", "/echo/..%2f..%2fsecret.txt", "/..%5csecret.txt",
                "/echo/leak.txt", "/%00/secret.txt")) {
            String[] r = get(path);
            assertTrue(r[0].startsWith("HTTP/1.1 403") || r[0].startsWith("HTTP/1.1 400"), path + ": " + r[0]);
            assertTrue(!r[1].contains("SECRET"), path);
        }
        assertTrue(get("/echo/nothing-here")[0].startsWith("HTTP/1.1 404"));
    }
}
