package bench.view;

import bench.Op;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
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
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CrosshairState;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYItemRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.chart.util.ShapeUtils;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The run's three charts, as Maelstrom draws them: every operation's latency against the
 * time it was invoked ({@code latency-raw.png}, a log scale, a colour per operation and a
 * shape per outcome), the quantiles of those latencies over windows of time
 * ({@code latency-quantiles.png}, a colour per quantile and a shape per operation), and
 * operations completed per second ({@code rate.png}, a line per operation and outcome);
 * faults are shaded, the end of the load marked.
 */
public final class Charts {

    /** The charts' files. */
    static final String LATENCY_RAW = "latency-raw.png", LATENCY_QUANTILES = "latency-quantiles.png", RATE = "rate.png";
    /** The charts' files, in the order a run's page shows them. */
    public static final List<String> FILES = List.of(LATENCY_RAW, LATENCY_QUANTILES, RATE);
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
    /**
     * The latency quantiles drawn over time, as Jepsen's perf checker draws them, each
     * with its colour there: the median blue, 0.95 purple, 0.99 orange, the maximum red.
     */
    static final double[] QUANTILES = {0.5, 0.95, 0.99, 1};
    static final List<Color> QUANTILE_COLOURS = List.of(new Color(0x1f5fd4), new Color(0x8e3fb5),
            new Color(0xf08c00), new Color(0xd62020));
    /**
     * About how many windows the rate and the quantiles divide the run into (each at least
     * 1 s). Jepsen's are fixed, 10 s for the rate and 30 s for the quantiles, which leave a
     * 20 s run with two points and one; a fortieth of the run still puts 100 operations
     * in a window at 100 ops/s, enough for a 0.99 quantile of some meaning.
     */
    static final int RATE_WINDOWS = 200, QUANTILE_WINDOWS = 40;

    static {
        // Drawing needs no display: AWT must not look for one, on a desktop or not.
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    /** Writes the charts' {@link #FILES} into {@code dir}. */
    public static void write(Path dir, RunTrace run) throws IOException {
        save(latency(run), dir.resolve(LATENCY_RAW));
        save(quantiles(run), dir.resolve(LATENCY_QUANTILES));
        save(rate(run), dir.resolve(RATE));
    }

    /**
     * Draws the charts of a made-up run of a hundred operations, to nowhere, so that the
     * run's charts later find Java2D, its fonts, JFreeChart and the PNG writer loaded:
     * most of a chart's cost in a fresh JVM. Meant for a stretch of the run where the
     * bench has nothing else to do, as the quiet period.
     */
    public static void warmUp() throws IOException {
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            long invoked = i * 10_000_000L;
            ops.add(new Op(0, "c0", "n0", "warm-up", null, null, Op.Type.values()[i % 3], invoked,
                    invoked + i * 100_000L, false));
        }
        var run = new RunTrace("", ops, List.of(), List.of(), false, 1, 1_000_000_000L);
        for (JFreeChart chart : List.of(latency(run), quantiles(run), rate(run))) {
            ChartUtils.writeChartAsPNG(OutputStream.nullOutputStream(), chart, WIDTH, HEIGHT);
        }
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
            s.add(op.invokedAt() / 1e9, latencyMs(op), false);
        }
        for (String key : new TreeSet<>(series.keySet())) {
            int i = dataset.getSeriesCount();
            dataset.addSeries(series.get(key));
            renderer.setSeriesPaint(i, colours.get(fOf(key)));
            renderer.setSeriesShape(i, shape(key));
        }
        return chart(run.title() + " · latency", plot(run, dataset, latencyAxis(), renderer, false));
    }

    /**
     * The latency quantiles of each operation type over windows of time, as Jepsen's perf
     * checker computes them: an operation counts in the window of its invocation whatever
     * its outcome, and quantile q of n latencies is the one at index min(n - 1, floor(n q))
     * in order. A point per window at its middle, a line per type and quantile.
     */
    public static JFreeChart quantiles(RunTrace run) {
        double window = window(run, QUANTILE_WINDOWS);
        Map<String, TreeMap<Long, List<Double>>> byF = new LinkedHashMap<>();
        for (Op op : run.ops()) {
            long w = (long) Math.floor(op.invokedAt() / 1e9 / window);
            byF.computeIfAbsent(op.f(), f -> new TreeMap<>()).computeIfAbsent(w, k -> new ArrayList<>())
                    .add(latencyMs(op));
        }
        var dataset = new XYSeriesCollection();
        var renderer = new XYLineAndShapeRenderer(true, true);
        List<Shape> shapes = List.of(new Ellipse2D.Double(-3, -3, 6, 6), ShapeUtils.createDiamond(3.5f),
                ShapeUtils.createUpTriangle(3.5f), ShapeUtils.createDownTriangle(3.5f),
                ShapeUtils.createRegularCross(3.5f, 1f));
        byF.values().forEach(windows -> windows.values().forEach(latencies -> latencies.sort(null)));
        int fIndex = 0;
        for (var byWindow : byF.entrySet()) {
            for (int q = 0; q < QUANTILES.length; q++) {
                String label = Double.toString(QUANTILES[q]).replaceFirst("\\.0$", "");
                var s = new XYSeries(byWindow.getKey() + " " + label, true, false);
                for (var w : byWindow.getValue().entrySet()) {
                    List<Double> sorted = w.getValue();
                    int n = sorted.size();
                    s.add((w.getKey() + 0.5) * window, sorted.get(Math.min(n - 1, (int) Math.floor(n * QUANTILES[q]))));
                }
                int i = dataset.getSeriesCount();
                dataset.addSeries(s);
                renderer.setSeriesPaint(i, QUANTILE_COLOURS.get(q));
                renderer.setSeriesShape(i, shapes.get(fIndex % shapes.size()));
                renderer.setSeriesStroke(i, new BasicStroke(1.4f));
            }
            fIndex++;
        }
        XYPlot plot = plot(run, dataset, latencyAxis(), renderer, true);
        // Where quantiles meet, as the top ones of a small window do, the higher is seen.
        plot.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD);
        return chart(run.title() + " · latency quantiles, " + (long) window + " s windows", plot);
    }

    /** An operation's latency in ms, at least {@link #FLOOR_MS}. */
    private static double latencyMs(Op op) {
        return Math.max(FLOOR_MS, (op.completedAt() - op.invokedAt()) / 1e6);
    }

    /** The log axis of latency in ms. */
    private static LogAxis latencyAxis() {
        var axis = new LogAxis("latency (ms)");
        axis.setSmallestValue(FLOOR_MS);
        axis.setBase(10);
        axis.setNumberFormatOverride(new java.text.DecimalFormat("0.#"));
        return axis;
    }

    /** The width in seconds of a window when the run is divided into about {@code count}: whole seconds, at least one. */
    private static double window(RunTrace run, int count) {
        return Math.max(1, Math.ceil(Math.max(1, run.endNanos() / 1e9) / count));
    }

    /** Operations completed per second against time: a line per operation type and outcome. */
    static JFreeChart rate(RunTrace run) {
        double bucket = window(run, RATE_WINDOWS);
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
        return chart(run.title() + " · rate", plot(run, dataset, new NumberAxis("completed per second"), renderer, true));
    }

    /**
     * A plot of {@code dataset} against time, faults shaded. Unless {@code antialiased},
     * its data is drawn without antialiasing (axes, text and markers keep it): tens of
     * thousands of dots cost several times as much drawn antialiased, and a dot of four
     * pixels looks much the same either way.
     */
    private static XYPlot plot(RunTrace run, XYSeriesCollection dataset, ValueAxis yAxis, XYItemRenderer renderer,
                               boolean antialiased) {
        var xAxis = new NumberAxis("time (s)");
        xAxis.setAutoRangeIncludesZero(true);
        var plot = plain(antialiased ? new XYPlot(dataset, xAxis, yAxis, renderer)
                : new XYPlot(dataset, xAxis, yAxis, renderer) {
                    @Override
                    public boolean render(Graphics2D g2, Rectangle2D dataArea, int index, PlotRenderingInfo info,
                                          CrosshairState crosshair) {
                        Object hint = g2.getRenderingHint(RenderingHints.KEY_ANTIALIASING);
                        g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
                        try {
                            return super.render(g2, dataArea, index, info, crosshair);
                        } finally {
                            g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, hint);
                        }
                    }
                });
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
