package tests.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bench.cli.ServeCommand;
import bench.report.Results;
import bench.view.Pictures;
import com.sun.net.httpserver.HttpServer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tests.support.ShortRuns;

/**
 * The store as a person sees it: a short real run served by {@code bench serve}, loaded
 * by headless Chromium, which dumps the page as it stands after loading and takes a
 * screenshot; the page must show every picture and log nothing to the console. Skipped,
 * saying so, where no Chromium is installed (.ci/run installs Debian's when it can).
 */
class BrowserTest {

    static final List<String> BROWSERS = List.of("chromium", "chromium-browser", "google-chrome");
    static Path browser;
    static Path runDir;
    static HttpServer server;
    /** Where the screenshots go, to be looked at. */
    static Path shots;

    /** What Chromium made of a page: the DOM after loading, its console lines, the screenshot. */
    record Seen(String dom, List<String> console, BufferedImage screenshot) {
    }

    @BeforeAll
    static void runAndServe() throws Exception {
        browser = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .flatMap(dir -> BROWSERS.stream().map(b -> Path.of(dir, b))).filter(Files::isExecutable)
                .findFirst().orElse(null);
        Assumptions.assumeTrue(browser != null, "no Chromium installed (" + BROWSERS + " on PATH): browser tests skipped");
        Results results = ShortRuns.run("broadcast", "broadcast", "--nemesis", "partition");
        runDir = results.options().runDir();
        server = ServeCommand.start(runDir.getParent().getParent(), 0);
        shots = Files.createTempDirectory("screenshots");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    static String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Loads {@code path} in a fresh headless Chromium, twice: once for the DOM, once for a screenshot. */
    static Seen load(String path, String shot, int height) throws Exception {
        Path profile = Files.createTempDirectory("chromium");
        List<String> console = new ArrayList<>();
        String dom = chromium(profile.resolve("a"), console, "--dump-dom", url(path));
        Path png = shots.resolve(shot);
        chromium(profile.resolve("b"), console, "--screenshot=" + png, "--window-size=1400," + height, url(path));
        return new Seen(dom, console, ImageIO.read(png.toFile()));
    }

    /** Runs Chromium headless; returns its stdout, adding its console lines to {@code console}. */
    static String chromium(Path profile, List<String> console, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--hide-scrollbars", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0",
                "--virtual-time-budget=5000"));
        command.addAll(List.of(args));
        Path err = Files.createTempFile("chromium", ".log");
        Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "Chromium finished");
        Files.readAllLines(err).stream().filter(l -> l.contains(":CONSOLE")).forEach(console::add);
        return out;
    }

    /** Distinct colours in the top-left 1000 × 800 pixels: a blank or broken page has few. */
    static int colours(BufferedImage image) {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < Math.min(800, image.getHeight()); y += 2) {
            for (int x = 0; x < Math.min(1000, image.getWidth()); x += 2) {
                seen.add(image.getRGB(x, y));
            }
        }
        return seen.size();
    }

    @Test
    void theIndexListsTheRun() throws Exception {
        Seen index = load("/", "index.png", 700);
        assertEquals(List.of(), index.console());
        assertTrue(index.dom().contains(runDir.getFileName().toString()), index.dom());
        assertTrue(index.dom().contains("--nemesis partition"), "its flags");
    }

    @Test
    void aRunsPageShowsEveryPictureWithoutConsoleErrors() throws Exception {
        Seen page = load("/broadcast/" + runDir.getFileName() + "/", "run.png", 2600);
        assertEquals(List.of(), page.console(), "console");
        for (String picture : Pictures.FILES) {
            assertTrue(page.dom().contains("src=\"" + picture + "\""), picture + " on the page");
        }
        assertTrue(!page.dom().contains("<p class=\"missing\">"), "every picture loaded");
        assertTrue(page.dom().contains("node-logs/n0.log"), "the node logs");
        assertTrue(colours(page.screenshot()) > 50, "the screenshot shows pictures: " + shots.resolve("run.png"));
        System.err.println("[test] screenshots in " + shots);
    }

    @Test
    void anEmptyPictureIsSeenAndReported() throws Exception {
        Path copy = Files.createDirectories(runDir.getParent().resolve("empty-picture"));
        for (String f : List.of("results.json", "latency-raw.png", "timeline.html", "messages.svg")) {
            Files.copy(runDir.resolve(f), copy.resolve(f));
        }
        Files.write(copy.resolve("rate.png"), new byte[0]);
        Seen page = load("/broadcast/empty-picture/", "empty.png", 1200);
        assertTrue(page.dom().contains("<p class=\"missing\">rate.png could not be loaded</p>"), "the page says so");
        assertTrue(page.console().stream().anyMatch(l -> l.contains("picture failed to load: rate.png")),
                "and the check above would fail: " + page.console());
    }
}
