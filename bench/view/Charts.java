package bench.view;

import bench.Op;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.chart.util.ShapeUtils;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The run's two charts, as Maelstrom draws them: every operation's latency against the
 * time it was invoked ({@code latency-raw.png}, a log scale, a colour per operation and a
 * shape per outcome), and operations completed per second ({@code rate.png}, a line per
 * operation and outcome); faults are shaded, the end of the load marked.
 */
public final class Charts {

    /** Width and height of each chart in pixels. */
    static final int WIDTH = 1100, HEIGHT = 480;
    /** A latency is drawn no lower than this, in ms, so a log axis can hold a zero. */
    static final double FLOOR_MS = 0.1;
    /** One colour per operation type, in order of first appearance. */
    static final List<Color> PALETTE = List.of(new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
            new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf), new Color(0xbcbd22));
    /** The shading of a fault in force. */
    static final Color FAULT = new Color(255, 80, 60, 40);
    static final Color CLEAR = new Color(255, 255, 255, 0);

    static {
        // Drawing needs no display: AWT must not look for one, on a desktop or not.
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    /** Writes latency-raw.png and rate.png into {@code dir}. */
    public static void write(Path dir, RunTrace run) throws IOException {
        save(latency(run), dir.resolve("latency-raw.png"));
        save(rate(run), dir.resolve("rate.png"));
    }

    /**
     * Draws a chart of nothing into memory, so that the run's charts later find Java2D,
     * its fonts and JFreeChart loaded: most of a chart's cost in a fresh JVM. Meant for a
     * stretch of the run where the bench has nothing else to do, as the quiet period.
     */
    public static void warmUp() {
        var run = new RunTrace("", List.of(), List.of(), List.of(), false, 1, 1);
        latency(run).createBufferedImage(WIDTH, HEIGHT);
    }

    private static void save(JFreeChart chart, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT);
        }
    }

    /** Latency in ms against invocation time in s: a series per operation type and outcome. */
    static JFreeChart latency(RunTrace run) {
        var dataset = new XYSeriesCollection();
        var renderer = new XYLineAndShapeRenderer(false, true);
        Map<String, Color> colours = colours(run.ops());
        Map<String, XYSeries> series = new LinkedHashMap<>();
        for (Op op : run.ops()) {
            String key = op.f() + " " + op.type().name().toLowerCase();
            XYSeries s = series.computeIfAbsent(key, k -> new XYSeries(k, false, true));
            s.add(op.invokedAt() / 1e9, Math.max(FLOOR_MS, (op.completedAt() - op.invokedAt()) / 1e6), false);
        }
        for (String key : new TreeSet<>(series.keySet())) {
            int i = dataset.getSeriesCount();
            dataset.addSeries(series.get(key));
            renderer.setSeriesPaint(i, colours.get(fOf(key)));
            renderer.setSeriesShape(i, shape(key));
        }
        var yAxis = new LogAxis("latency (ms)");
        yAxis.setSmallestValue(FLOOR_MS);
        yAxis.setBase(10);
        yAxis.setNumberFormatOverride(new java.text.DecimalFormat("0.#"));
        XYPlot plot = plot(run, dataset, yAxis);
        plot.setRenderer(renderer);
        return chart(run.title() + " · latency", plot);
    }

    /** Operations completed per second against time: a line per operation type and outcome. */
    static JFreeChart rate(RunTrace run) {
        double end = Math.max(1, run.endNanos() / 1e9);
        double bucket = Math.max(1, Math.ceil(end / 200));
        Map<String, TreeMap<Long, Integer>> counts = new TreeMap<>();
        for (Op op : run.ops()) {
            String key = op.f() + " " + op.type().name().toLowerCase();
            long b = (long) Math.floor(op.completedAt() / 1e9 / bucket);
            counts.computeIfAbsent(key, k -> new TreeMap<>()).merge(b, 1, Integer::sum);
        }
        var dataset = new XYSeriesCollection();
        var renderer = new XYLineAndShapeRenderer(true, false);
        Map<String, Color> colours = colours(run.ops());
        counts.forEach((key, byBucket) -> {
            var s = new XYSeries(key, true, false);
            long last = byBucket.lastKey();
            for (long b = Math.min(0, byBucket.firstKey()); b <= last; b++) {
                s.add((b + 0.5) * bucket, byBucket.getOrDefault(b, 0) / bucket);
            }
            int i = dataset.getSeriesCount();
            dataset.addSeries(s);
            renderer.setSeriesPaint(i, colours.get(fOf(key)));
            renderer.setSeriesStroke(i, stroke(key));
        });
        XYPlot plot = plot(run, dataset, new NumberAxis("completed per second"));
        plot.setRenderer(renderer);
        return chart(run.title() + " · rate", plot);
    }

    private static XYPlot plot(RunTrace run, XYSeriesCollection dataset, org.jfree.chart.axis.ValueAxis yAxis) {
        var xAxis = new NumberAxis("time (s)");
        xAxis.setAutoRangeIncludesZero(true);
        var plot = plain(new XYPlot(dataset, xAxis, yAxis, null));
        for (Faults.Interval f : run.faults()) {
            var marker = new IntervalMarker(f.fromNanos() / 1e9, f.toNanos() / 1e9, FAULT);
            marker.setLabel(f.kind());
            marker.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            marker.setLabelPaint(new Color(0x993322));
            marker.setLabelAnchor(RectangleAnchor.TOP_LEFT);
            marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
            marker.setLabelBackgroundColor(CLEAR);
            plot.addDomainMarker(marker, Layer.BACKGROUND);
        }
        var end = new ValueMarker(run.timeLimitSeconds(), Color.GRAY, new BasicStroke(1f, BasicStroke.CAP_BUTT,
                BasicStroke.JOIN_MITER, 1f, new float[]{4f, 4f}, 0f));
        end.setLabel("end of load");
        end.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        end.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
        end.setLabelTextAnchor(TextAnchor.TOP_LEFT);
        end.setLabelBackgroundColor(CLEAR);
        plot.addDomainMarker(end, Layer.BACKGROUND);
        return plot;
    }

    /** {@code plot} on white with light grid lines and no outline, as every chart of the bench is drawn. */
    static XYPlot plain(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        plot.setOutlineVisible(false);
        return plot;
    }

    /** A chart of {@code plot} with its title and a legend, on white. */
    static JFreeChart chart(String title, XYPlot plot) {
        var chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.getLegend().setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        return chart;
    }

    /** A colour for each operation type, in order of first appearance. */
    static Map<String, Color> colours(List<Op> ops) {
        Map<String, Color> colours = new LinkedHashMap<>();
        for (Op op : ops) {
            colours.computeIfAbsent(op.f(), f -> PALETTE.get(colours.size() % PALETTE.size()));
        }
        return colours;
    }

    private static String fOf(String key) {
        return key.substring(0, key.lastIndexOf(' '));
    }

    /** A dot for ok, a cross for fail, a triangle for info. */
    private static Shape shape(String key) {
        return switch (key.substring(key.lastIndexOf(' ') + 1)) {
            case "ok" -> new Ellipse2D.Double(-2, -2, 4, 4);
            case "fail" -> ShapeUtils.createDiagonalCross(3, 0.6f);
            default -> ShapeUtils.createUpTriangle(3.5f);
        };
    }

    /** Solid for ok, dashed for fail, dotted for info. */
    private static BasicStroke stroke(String key) {
        return switch (key.substring(key.lastIndexOf(' ') + 1)) {
            case "ok" -> new BasicStroke(1.6f);
            case "fail" -> new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[]{6f, 4f}, 0f);
            default -> new BasicStroke(1.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_MITER, 1f, new float[]{1f, 4f}, 0f);
        };
    }
}
