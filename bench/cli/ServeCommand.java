package bench.cli;

import bench.view.StorePages;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench serve}: the store in a browser, as {@code maelstrom serve} shows it. Binds
 * to the loopback address only, and answers only with files inside the store: a path
 * with a "." or ".." segment, a percent-escaped slash or NUL, or one that leads out of
 * the store through a symbolic link is refused.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = TestCommand.USAGE,
        description = "Serves the store on the loopback address: an index of runs, newest first, and each run's page.")
public final class ServeCommand implements Callable<Integer> {

    @Option(names = "--store", defaultValue = "store", description = "The folder of runs (default ${DEFAULT-VALUE}).")
    Path store;

    @Option(names = "--port", defaultValue = "8080", description = "TCP port on 127.0.0.1; 0 for any free one (default ${DEFAULT-VALUE}).")
    int port;

    static final Map<String, String> TYPES = Map.of("png", "image/png", "svg", "image/svg+xml",
            "html", "text/html; charset=utf-8", "json", "application/json", "jsonl", "text/plain; charset=utf-8",
            "log", "text/plain; charset=utf-8", "txt", "text/plain; charset=utf-8");

    @Override
    public Integer call() throws Exception {
        HttpServer server;
        try {
            server = start(store, port);
        } catch (IOException e) {
            System.err.println("bench: cannot serve on port " + port + ": " + e.getMessage());
            return TestCommand.USAGE;
        }
        System.err.printf("[bench] serving %s at http://127.0.0.1:%d/ (Ctrl-C stops)%n", store.toAbsolutePath(),
                server.getAddress().getPort());
        Thread.currentThread().join();
        return 0;
    }

    /** Starts serving {@code store} on the loopback address at {@code port} (0: any free one). */
    public static HttpServer start(Path store, int port) throws IOException {
        Path root = store.toAbsolutePath().normalize();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            try (exchange) {
                answer(exchange, root);
            } catch (IOException | RuntimeException e) {
                System.err.println("[bench] serving " + exchange.getRequestURI() + " failed: " + e);
            }
        });
        server.start();
        return server;
    }

    private static void answer(HttpExchange exchange, Path root) throws IOException {
        String method = exchange.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            send(exchange, 405, "text/plain; charset=utf-8", "only GET and HEAD\n");
            return;
        }
        String raw = exchange.getRequestURI().getRawPath();
        Path file = inside(root, raw);
        if (file == null) {
            send(exchange, 403, "text/plain; charset=utf-8", "outside the store\n");
            return;
        }
        if (file.equals(root)) {
            send(exchange, 200, TYPES.get("html"), StorePages.index(root));
        } else if (Files.isDirectory(file) && Files.isRegularFile(file.resolve("results.json"))) {
            if (!raw.endsWith("/")) {
                exchange.getResponseHeaders().set("Location", raw + "/");
                send(exchange, 301, "text/plain; charset=utf-8", "");
                return;
            }
            send(exchange, 200, TYPES.get("html"), StorePages.run(file, root.relativize(file).toString()));
        } else if (Files.isRegularFile(file)) {
            String name = file.getFileName().toString();
            String ext = name.substring(name.lastIndexOf('.') + 1);
            exchange.getResponseHeaders().set("Content-Type", TYPES.getOrDefault(ext, "application/octet-stream"));
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            long size = Files.size(file);
            exchange.sendResponseHeaders(200, method.equals("HEAD") ? -1 : size == 0 ? -1 : size);
            if (method.equals("GET") && size > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    Files.copy(file, out);
                }
            }
        } else {
            send(exchange, 404, "text/plain; charset=utf-8", "not found\n");
        }
    }

    /**
     * The file {@code rawPath} names under {@code root}, or null when it would lie outside:
     * a segment that is "." or "..", or decodes to one holding a slash, a backslash or a
     * NUL, or a path whose real location (symbolic links followed) leaves the store.
     */
    static Path inside(Path root, String rawPath) throws IOException {
        Path file = root;
        for (String segment : rawPath.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            String name;
            try {
                name = URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
            if (name.equals(".") || name.equals("..") || name.contains("/") || name.contains("\\")
                    || name.contains("\0")) {
                return null;
            }
            file = file.resolve(name);
        }
        if (!file.normalize().startsWith(root)) {
            return null;
        }
        if (Files.exists(file) && !file.toRealPath().startsWith(root.toRealPath())) {
            return null;
        }
        return file;
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head || bytes.length == 0 ? -1 : bytes.length);
        if (!head && bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
