package bench.view;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.chart.util.ShapeUtils;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The sweep's picture for broadcast: servers msgs-per-op against the median stable
 * latency, a point per seed, a colour per setting, with the published figures given on
 * the command line drawn beside as hollow diamonds. Sweeps of several settings add up:
 * the points live in a CSV file beside the picture, where a sweep replaces the rows of
 * its own setting and keeps the others.
 */
public final class SweepPlot {

    /**
     * One run's figures.
     *
     * @param setting   the sweep's flags and node options, as words
     * @param seed      the run's seed
     * @param msgsPerOp servers msgs-per-op
     * @param medianMs  stable latency, median
     * @param maxMs     stable latency, max
     */
    public record Point(String setting, long seed, double msgsPerOp, double medianMs, double maxMs) {
    }

    /** A published figure: msgs-per-op at a median and max stable latency, written {@code 23.4@181/207}. */
    public record Published(double msgsPerOp, double medianMs, double maxMs) {

        /** Parses {@code MSGS@MEDIAN/MAX}. */
        public static Published parse(String text) {
            String[] at = text.trim().split("@");
            String[] ms = at.length == 2 ? at[1].split("/") : new String[0];
            if (ms.length != 2) {
                throw new IllegalArgumentException("a published figure is MSGS@MEDIAN/MAX, like 23.4@181/207, not " + text);
            }
            return new Published(Double.parseDouble(at[0]), Double.parseDouble(ms[0]), Double.parseDouble(ms[1]));
        }
    }

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private SweepPlot() {
    }

    /** The CSV file that keeps the points of {@code png}. */
    public static Path dataFile(Path png) {
        String name = png.getFileName().toString();
        return png.resolveSibling(name.replaceFirst("\\.png$", "") + ".csv");
    }

    /**
     * Adds {@code points} to the data beside {@code png} (replacing those of the same
     * settings) and draws every setting with {@code published} beside.
     */
    public static void write(Path png, List<Point> points, List<Published> published) throws IOException {
        Path csv = dataFile(png);
        List<Point> all = new ArrayList<>();
        if (Files.exists(csv)) {
            List<String> lines = Files.readAllLines(csv);
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.split("\t");
                if (f.length == 5 && points.stream().noneMatch(p -> p.setting().equals(f[0]))) {
                    all.add(new Point(f[0], Long.parseLong(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                            Double.parseDouble(f[4])));
                }
            }
        }
        all.addAll(points);
        var text = new StringBuilder("setting\tseed\tservers-msgs-per-op\tstable-median-ms\tstable-max-ms\n");
        all.forEach(p -> text.append(String.format(Locale.ROOT, "%s\t%d\t%.3f\t%.0f\t%.0f%n", p.setting(), p.seed(),
                p.msgsPerOp(), p.medianMs(), p.maxMs())));
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.writeString(csv, text);
        try (OutputStream out = Files.newOutputStream(png)) {
            ChartUtils.writeChartAsPNG(out, chart(all, published), 900, 560);
        }
    }

    static JFreeChart chart(List<Point> points, List<Published> published) {
        var dataset = new XYSeriesCollection();
        var renderer = new XYLineAndShapeRenderer(false, true);
        Map<String, XYSeries> bySetting = new LinkedHashMap<>();
        for (Point p : points) {
            bySetting.computeIfAbsent(p.setting(), s -> new XYSeries("ours: " + s, false, true))
                    .add(p.medianMs(), p.msgsPerOp());
        }
        for (XYSeries s : bySetting.values()) {
            int i = dataset.getSeriesCount();
            dataset.addSeries(s);
            renderer.setSeriesPaint(i, Charts.PALETTE.get(i % Charts.PALETTE.size()));
            renderer.setSeriesShape(i, new Ellipse2D.Double(-4, -4, 8, 8));
        }
        var theirs = new XYSeries("best published (median / max ms)", false, true);
        published.forEach(p -> theirs.add(p.medianMs(), p.msgsPerOp()));
        int i = dataset.getSeriesCount();
        dataset.addSeries(theirs);
        renderer.setSeriesPaint(i, Color.DARK_GRAY);
        renderer.setSeriesShape(i, ShapeUtils.createDiamond(6));
        renderer.setSeriesShapesFilled(i, false);
        renderer.setSeriesOutlineStroke(i, new BasicStroke(1.5f));
        renderer.setUseOutlinePaint(false);
        renderer.setDrawOutlines(true);
        var x = new NumberAxis("stable latency, median (ms)");
        x.setAutoRangeIncludesZero(true);
        x.setUpperMargin(0.15);
        var y = new NumberAxis("servers msgs-per-op");
        y.setAutoRangeIncludesZero(true);
        var plot = Charts.plain(new XYPlot(dataset, x, y, renderer));
        for (Published p : published) {
            var label = new XYTextAnnotation(String.format(Locale.ROOT, "  %s at %.0f/%.0f", shown(p.msgsPerOp()),
                    p.medianMs(), p.maxMs()), p.medianMs(), p.msgsPerOp());
            label.setTextAnchor(TextAnchor.CENTER_LEFT);
            label.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            label.setPaint(Color.DARK_GRAY);
            plot.addAnnotation(label);
        }
        return Charts.chart("broadcast: messages against stable latency, a point per seed", plot);
    }

    private static String shown(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
