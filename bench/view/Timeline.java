package bench.view;

import bench.Op;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * timeline.html: a column per client process, time running down, a box per operation
 * from its invocation to its completion, coloured by outcome, its request and reply on
 * hover. The scale gives the busiest process a few pixels per operation, within a page
 * height a browser scrolls easily.
 */
public final class Timeline {

    static final int COLUMN = 90, LEFT = 70, TOP = 60;
    /** The tallest the timeline gets, in pixels. */
    static final int MAX_HEIGHT = 30_000;

    private Timeline() {
    }

    /** Writes timeline.html into {@code dir}. */
    public static void write(Path dir, RunTrace run) throws IOException {
        Files.writeString(dir.resolve("timeline.html"), html(run));
    }

    static String html(RunTrace run) {
        List<Op> ops = run.ops();
        Map<Integer, Integer> column = new TreeMap<>();
        ops.forEach(op -> column.putIfAbsent(op.process(), 0));
        int c = 0;
        for (var e : column.entrySet()) {
            e.setValue(c++);
        }
        long end = Math.max(run.endNanos(), ops.stream().mapToLong(Op::completedAt).max().orElse(1));
        double seconds = Math.max(1, end / 1e9);
        Map<Integer, Long> perProcess = new TreeMap<>();
        ops.forEach(op -> perProcess.merge(op.process(), 1L, Long::sum));
        double busiest = perProcess.values().stream().mapToLong(Long::longValue).max().orElse(1) / seconds;
        double perSecond = Math.clamp(busiest * 6, 40, MAX_HEIGHT / seconds);
        var html = new StringBuilder(2000 + ops.size() * 300);
        html.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
                .append(Html.escape(run.title())).append(" · timeline</title>\n<style>\n")
                .append("body{font:12px sans-serif;margin:8px}\n")
                .append(".t{position:relative}\n.op{position:absolute;width:").append(COLUMN - 8)
                .append("px;box-sizing:border-box;border:1px solid #0003;border-radius:2px;overflow:hidden;")
                .append("font-size:10px;line-height:11px;white-space:nowrap}\n")
                .append(".op:hover{outline:2px solid #000;z-index:2}\n.ok{background:#9be39b}.fail{background:#f4a3a3}")
                .append(".info{background:#f6d776}\n.h{position:absolute;font-weight:bold}\n")
                .append(".tick{position:absolute;left:0;width:").append(LEFT - 8).append("px;text-align:right;color:#555}\n")
                .append(".fault{position:absolute;background:#ff503c1c;border-top:1px solid #ff503c66;color:#a03020}\n")
                .append("</style></head><body>\n<h3>").append(Html.escape(run.title())).append(" · timeline</h3>\n")
                .append("<p>A column per client process, time running down; green ok, red fail, yellow info. ")
                .append("Hover an operation for its request and reply.</p>\n<div class=\"t\" style=\"height:")
                .append((int) (TOP + seconds * perSecond + 40)).append("px;width:")
                .append(LEFT + Math.max(1, column.size()) * COLUMN).append("px\">\n");
        int width = Math.max(1, column.size()) * COLUMN;
        for (Faults.Interval f : run.faults()) {
            html.append("<div class=\"fault\" style=\"left:").append(LEFT).append("px;width:").append(width)
                    .append("px;top:").append(top(f.fromNanos(), perSecond)).append("px;height:")
                    .append(Math.max(1, top(f.toNanos(), perSecond) - top(f.fromNanos(), perSecond))).append("px\">")
                    .append(Html.escape(f.kind() + " " + f.detail())).append("</div>\n");
        }
        int step = Math.max(1, (int) Math.ceil(50 / perSecond));
        for (int s = 0; s <= seconds; s += step) {
            html.append("<div class=\"tick\" style=\"top:").append(top(s * 1_000_000_000L, perSecond) - 6)
                    .append("px\">").append(s).append(" s</div>\n");
        }
        column.forEach((process, i) -> html.append("<div class=\"h\" style=\"left:").append(LEFT + i * COLUMN)
                .append("px;top:").append(TOP - 20).append("px\">process ").append(process).append("</div>\n"));
        for (Op op : ops) {
            int top = top(op.invokedAt(), perSecond);
            int height = Math.max(3, top(op.completedAt(), perSecond) - top);
            String type = op.type().name().toLowerCase();
            html.append("<div class=\"op ").append(type).append("\" style=\"left:")
                    .append(LEFT + column.get(op.process()) * COLUMN).append("px;top:").append(top).append("px;height:")
                    .append(height).append("px\" title=\"");
            Html.escape(html, op.f() + " " + type + " on " + op.node() + " by " + op.client() + ", "
                    + LamportDiagram.millis(op.invokedAt()) + " – " + LamportDiagram.millis(op.completedAt())
                    + (op.isFinal() ? " (final)" : "") + "\nrequest " + op.request() + "\nreply " + op.reply())
                    .append("\">").append(height >= 11 ? Html.escape(op.f()) : "").append("</div>\n");
        }
        return html.append("</div></body></html>\n").toString();
    }

    private static int top(long nanos, double perSecond) {
        return (int) Math.round(TOP + nanos / 1e9 * perSecond);
    }
}
