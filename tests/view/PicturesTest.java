package tests.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bench.Json;
import bench.Op;
import bench.Options;
import bench.nemesis.NemesisEvent;
import bench.net.Network;
import bench.view.Charts;
import bench.view.Faults;
import bench.view.LamportDiagram;
import bench.view.MessageJournal;
import bench.view.Pictures;
import bench.view.RunTrace;
import bench.view.SweepPlot;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.Test;

/** The run's pictures: what they show is what happened, and a picture of nothing is seen to be empty. */
class PicturesTest {

    /** The colour the charts give the first operation type. */
    static final Color FIRST = new Color(0x1f77b4);

    static final long MS = 1_000_000;

    /** The colours latency-quantiles.png gives the median and the maximum. */
    static final Color MEDIAN = new Color(0x1f5fd4), MAXIMUM = new Color(0xd62020);

    /** A history of reads, ok, failed and unknown, every 100 ms for {@code seconds}. */
    static List<Op> history(int seconds) {
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < seconds * 10; i++) {
            Op.Type type = i % 10 == 3 ? Op.Type.FAIL : i % 10 == 7 ? Op.Type.INFO : Op.Type.OK;
            ops.add(new Op(i % 3, "c" + (i % 3), "n0", "read", Json.body("read").put("msg_id", i),
                    type == Op.Type.OK ? Json.body("read_ok") : null, type, i * 100 * MS, (i * 100 + 5 + i % 40) * MS,
                    false));
        }
        return ops;
    }

    static RunTrace trace(List<Op> ops, List<MessageJournal.Flight> flights) {
        var faults = Faults.intervals(List.of(
                new NemesisEvent.Partition(10 * MS, 10 * MS, "start-partition", "majority", Map.of(), false),
                new NemesisEvent.Partition(2000 * MS, 2000 * MS, "stop-partition", null, Map.of(), false),
                new NemesisEvent.Processes(2500 * MS, 2500 * MS, "kill", "one", List.of("n1"), List.of("n1"), false),
                new NemesisEvent.Processes(3000 * MS, 3200 * MS, "start", "all", List.of("n0", "n1"), List.of("n1"), false)),
                4000 * MS);
        return new RunTrace("test run", ops, faults, flights, false, 3, 4000 * MS);
    }

    /** Pixels of {@code image} within a small distance of {@code colour}. */
    static long pixelsOf(BufferedImage image, Color colour) {
        long n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                Color c = new Color(image.getRGB(x, y));
                if (Math.abs(c.getRed() - colour.getRed()) + Math.abs(c.getGreen() - colour.getGreen())
                        + Math.abs(c.getBlue() - colour.getBlue()) < 30) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Messages through a real network with the journal on: two delivered, then one cut by a partition. */
    static List<MessageJournal.Flight> flights() throws Exception {
        var journal = new MessageJournal();
        long origin = System.nanoTime();
        try (var net = new Network(new Network.Latency(20, Options.LatencyDist.CONSTANT, new Random(1)))) {
            net.journal(journal);
            var arrived = new LinkedBlockingQueue<Network.Message>();
            net.register("n0", arrived::add);
            net.register("n1", arrived::add);
            net.register("c1", arrived::add);
            net.send("c1", "n0", Json.body("read").put("msg_id", 1));
            net.send("n0", "n1", Json.body("gossip").put("note", "<b>&\"quoted\""));
            arrived.poll(2, TimeUnit.SECONDS);
            arrived.poll(2, TimeUnit.SECONDS);
            net.partition(Map.of("n1", Set.of("n0")));
            net.send("n0", "n1", Json.body("gossip").put("cut", true));
            TimeUnit.MILLISECONDS.sleep(200);
        }
        return journal.flights(origin);
    }

    @Test
    void faultsAreShadedFromTheirStartToWhatEndsThem() {
        var faults = trace(List.of(), List.of()).faults();
        assertEquals(List.of(new Faults.Interval(10 * MS, 2000 * MS, "partition", "majority"),
                new Faults.Interval(2500 * MS, 3200 * MS, "kill", "n1")), faults);
    }

    @Test
    void everyPictureIsWrittenAndShowsTheRun() throws Exception {
        Path dir = Files.createTempDirectory("pictures");
        List<String> files = Pictures.write(dir, trace(history(3), flights()));
        assertEquals(Pictures.FILES, files);
        for (String f : files) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f + " is not empty");
        }
        for (String png : List.of("latency-raw.png", "rate.png")) {
            BufferedImage image = ImageIO.read(dir.resolve(png).toFile());
            assertEquals(1100, image.getWidth(), png);
            assertTrue(pixelsOf(image, FIRST) > 200, png + " shows the reads");
        }
        BufferedImage quantiles = ImageIO.read(dir.resolve("latency-quantiles.png").toFile());
        assertEquals(1100, quantiles.getWidth());
        for (Color q : List.of(MEDIAN, MAXIMUM)) {
            assertTrue(pixelsOf(quantiles, q) > 100, "latency-quantiles.png draws the quantile " + q);
        }
        String svg = Files.readString(dir.resolve("messages.svg"));
        assertEquals(3, Pattern.compile("<g class=").matcher(svg).results().count(), "an arrow per message: " + svg);
        assertTrue(svg.contains("<g class=\"c\"><title>c1 → n0"), "a client's request");
        assertTrue(svg.contains("<g class=\"d\"><title>n0 → n1"), "the partition's cut, dashed red");
        assertTrue(svg.contains("&lt;b&gt;&amp;\\&quot;quoted\\&quot;"), "bodies escaped on hover");
        assertTrue(svg.contains("partition majority"), "the fault shaded");
        String timeline = Files.readString(dir.resolve("timeline.html"));
        assertEquals(30, Pattern.compile("<div class=\"op ").matcher(timeline).results().count(), "a box per operation");
        assertEquals(3, Pattern.compile("<div class=\"op fail\"").matcher(timeline).results().count());
    }

    @Test
    void aChartOfAnEmptyHistoryShowsNoOperations() throws Exception {
        Path dir = Files.createTempDirectory("pictures");
        Pictures.write(dir, trace(List.of(), List.of()));
        for (String png : List.of("latency-raw.png", "rate.png")) {
            BufferedImage image = ImageIO.read(dir.resolve(png).toFile());
            assertEquals(0, pixelsOf(image, FIRST), png + ": the check above would fail on it");
        }
        BufferedImage quantiles = ImageIO.read(dir.resolve("latency-quantiles.png").toFile());
        for (Color q : List.of(MEDIAN, MAXIMUM)) {
            assertEquals(0, pixelsOf(quantiles, q), "latency-quantiles.png: the check above would fail on it");
        }
        assertTrue(Files.readString(dir.resolve("messages.svg")).contains("no messages"));
    }

    @Test
    void theQuantilesOfAWindowAreJepsensIndexIntoItsSortedLatencies() throws Exception {
        // All in the first 1 s window, shuffled: latencies 1..100 ms, and 3 ms in the next window.
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            long invoked = (i * 37 % 100) * 5 * MS;
            ops.add(new Op(0, "c0", "n0", "read", null, null, i % 2 == 0 ? Op.Type.OK : Op.Type.INFO, invoked,
                    invoked + (i + 1) * MS, false));
        }
        ops.add(new Op(0, "c0", "n0", "read", null, null, Op.Type.FAIL, 1500 * MS, 1503 * MS, false));
        XYDataset data = Charts.quantiles(new RunTrace("q", ops, List.of(), List.of(), false, 3, 4000 * MS))
                .getXYPlot().getDataset();
        assertEquals(4, data.getSeriesCount(), "a line per quantile");
        List<Double> first = new ArrayList<>(), second = new ArrayList<>();
        for (int q = 0; q < 4; q++) {
            assertEquals(0.5, data.getXValue(q, 0), "a window's point at its middle");
            first.add(data.getYValue(q, 0));
            second.add(data.getYValue(q, 1));
        }
        assertEquals(List.of(51.0, 96.0, 100.0, 100.0), first, "0.5, 0.95, 0.99 and 1 of 1..100 ms, whatever the outcome");
        assertEquals(List.of(3.0, 3.0, 3.0, 3.0), second);
        assertEquals("read 0.95", data.getSeriesKey(1));
    }

    @Test
    void clientsThatTalkToOneNodeShareANarrowLaneBesideIt() throws Exception {
        List<MessageJournal.Flight> flights = new ArrayList<>();
        String[][] pairs = {{"c1", "n0"}, {"n0", "c1"}, {"c2", "n0"}, {"c3", "n1"}, {"c4", "n0"}, {"c4", "n1"}};
        for (String[] p : pairs) {
            long id = flights.size();
            flights.add(new MessageJournal.Flight(id, p[0], p[1], id * MS, id * MS + MS, MessageJournal.Fate.DELIVERED,
                    new Network.Message(id, p[0], p[1], Json.body("read").put("msg_id", id), null)));
        }
        long id = flights.size();
        flights.add(new MessageJournal.Flight(id, "n1", "c3", id * MS, id * MS + MS, MessageJournal.Fate.DELIVERED,
                new Network.Message(id, "n1", "c3", null,
                        "{\"src\":\"n1\",\"dest\":\"c3\",\"body\":{\"in_reply_to\":4,\"type\":\"error\",\"text\":\"<no>\"}}")));
        Path dir = Files.createTempDirectory("pictures");
        Pictures.write(dir, trace(List.of(), flights));
        String svg = Files.readString(dir.resolve("messages.svg"));
        var lanes = Pattern.compile("<line class=\"lane\" x1=\"(\\d+)\".*?<title>([^<]*)</title>").matcher(svg)
                .results().map(m -> m.group(2) + "@" + m.group(1)).toList();
        // c4 talks to two nodes: a full lane of its own, first; c1 and c2 share n0's, c3 has n1's.
        assertEquals(5, lanes.size(), lanes.toString());
        assertEquals(List.of("c4", "c1 c2", "n0", "c3", "n1"), lanes.stream().map(l -> l.substring(0, l.indexOf('@'))).toList());
        int[] x = lanes.stream().mapToInt(l -> Integer.parseInt(l.substring(l.indexOf('@') + 1))).toArray();
        assertTrue(x[2] - x[1] < 64 && x[4] - x[3] < 64, "a node's clients closer to it than lanes are apart: " + lanes);
        assertTrue(svg.contains("<g class=\"e\"><title>n1 → c3"), "the error reply read from the node's line");
        assertTrue(svg.contains("{&quot;in_reply_to&quot;:4,&quot;type&quot;:&quot;error&quot;,&quot;text&quot;:&quot;&lt;no&gt;&quot;}</title>"),
                "its body cut from the line, escaped: " + svg);
    }

    @Test
    void aLongRunIsDrawnAsLinkedPagesOfBoundedSize() throws Exception {
        var journal = new MessageJournal();
        long origin = System.nanoTime();
        try (var net = new Network(new Network.Latency(0, Options.LatencyDist.CONSTANT, new Random(1)))) {
            net.journal(journal);
            net.register("n0", m -> { });
            net.register("c1", m -> { });
            for (int i = 0; i < 4000; i++) {
                net.send("c1", "n0", Json.body("read").put("msg_id", i));
            }
            TimeUnit.MILLISECONDS.sleep(300);
        }
        Path dir = Files.createTempDirectory("pictures");
        List<String> files = Pictures.write(dir, trace(history(1), journal.flights(origin)));
        assertTrue(files.containsAll(List.of(LamportDiagram.fileName(2), LamportDiagram.fileName(3))), files.toString());
        assertTrue(!Files.exists(dir.resolve(LamportDiagram.fileName(4))));
        String middle = Files.readString(dir.resolve(LamportDiagram.fileName(2)));
        assertTrue(middle.contains("href=\"messages.svg\"") && middle.contains("href=\"messages-3.svg\""), "linked both ways");
        var height = Pattern.compile("<svg [^>]*height=\"(\\d+)\"").matcher(middle);
        assertTrue(height.find() && Integer.parseInt(height.group(1)) <= 12_200, "bounded height");
    }

    @Test
    void theSweepPlotAddsUpSettingsAndDrawsThePublishedFiguresBeside() throws Exception {
        Path png = Files.createTempDirectory("sweep").resolve("sweep.png");
        var published = List.of(SweepPlot.Published.parse("23.4@181/207"), SweepPlot.Published.parse("1.92@764/1087"));
        SweepPlot.write(png, List.of(new SweepPlot.Point("3d", 1, 3.5, 140, 250)), published);
        SweepPlot.write(png, List.of(new SweepPlot.Point("3e hub-batch=1000", 1, 0.8, 600, 1150),
                new SweepPlot.Point("3e hub-batch=1000", 2, 0.7, 560, 1100)), published);
        SweepPlot.write(png, List.of(new SweepPlot.Point("3d", 2, 3.6, 150, 260)), published);
        List<String> rows = Files.readAllLines(SweepPlot.dataFile(png));
        assertEquals(List.of("3e hub-batch=1000\t1", "3e hub-batch=1000\t2", "3d\t2"),
                rows.subList(1, rows.size()).stream().map(r -> r.substring(0, r.indexOf('\t', r.indexOf('\t') + 1))).toList(),
                "a sweep replaces its own setting's points and keeps the others'");
        BufferedImage image = ImageIO.read(png.toFile());
        assertTrue(pixelsOf(image, FIRST) > 20, "our first setting's points");
        assertTrue(pixelsOf(image, Color.DARK_GRAY) > 20, "the published figures");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SweepPlot.Published.parse("23.4 at 181"));
    }
}
