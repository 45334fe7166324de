package bench.view;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * The cycles a transactional checker found, drawn: each cycle's transactions on a
 * circle, each labelled with its process and micro-ops, and an arrow from each to the
 * next, labelled with the dependency (ww, wr, rw, realtime, process) and, on hover, why
 * the dependency is there. The checker's results give the cycle as {@code steps}, each
 * a transaction ({@code from}), its edge to the next ({@code rel}) and the reason
 * ({@code why}).
 */
public final class CycleDiagram {

    /** The most cases of one anomaly drawn: the rest are in results.json. */
    static final int CASES_DRAWN = 3;
    private static final int BOX_WIDTH = 230;
    private static final int BOX_HEIGHT = 34;

    private CycleDiagram() {
    }

    /**
     * A section of HTML with every anomaly of {@code anomalies} (type to cases, as in a
     * run's {@code workload.anomalies}) whose cases are cycles, up to {@link #CASES_DRAWN}
     * drawn for each; empty when there are none.
     */
    static String section(JsonNode anomalies) {
        var html = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> types = anomalies.fields(); types.hasNext(); ) {
            Map.Entry<String, JsonNode> type = types.next();
            int drawn = 0;
            for (JsonNode c : type.getValue()) {
                if (!c.path("steps").isArray() || c.path("steps").isEmpty() || drawn == CASES_DRAWN) continue;
                html.append("<h4>").append(Html.escape(type.getKey())).append("</h4>\n").append(svg(c.get("steps")));
                drawn++;
            }
        }
        return html.isEmpty() ? "" : "<h3>Cycles</h3>\n<p>Each transaction of a cycle the checker found, and the "
                + "dependency from each to the next (hover an arrow for why it is there).</p>\n" + html;
    }

    /** One cycle as an inline SVG picture. */
    static String svg(JsonNode steps) {
        int n = steps.size();
        double radius = n == 1 ? 0 : Math.max(90, n * (BOX_HEIGHT + 40) / (2 * Math.PI));
        int width = (int) (2 * radius + BOX_WIDTH + 80);
        int height = (int) (2 * radius + BOX_HEIGHT + 80);
        double cx = width / 2.0;
        double cy = height / 2.0;
        var svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" font-family=\"sans-serif\" font-size=\"11\">\n")
                .append("<defs><marker id=\"head\" markerWidth=\"8\" markerHeight=\"8\" refX=\"8\" refY=\"4\" ")
                .append("orient=\"auto\"><path d=\"M0,0 L8,4 L0,8 z\" fill=\"#c62828\"/></marker></defs>\n");
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double angle = -Math.PI / 2 + 2 * Math.PI * i / n;
            x[i] = cx + radius * Math.cos(angle);
            y[i] = cy + radius * Math.sin(angle);
        }
        for (int i = 0; i < n; i++) {
            int next = (i + 1) % n;
            JsonNode step = steps.get(i);
            double[] from = edgeOfBox(x[i], y[i], x[next], y[next]);
            double[] to = edgeOfBox(x[next], y[next], x[i], y[i]);
            svg.append("<g><title>").append(Html.escape(step.path("why").asText())).append("</title>")
                    .append(String.format("<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"#c62828\" "
                            + "stroke-width=\"1.5\" marker-end=\"url(#head)\"/>", from[0], from[1], to[0], to[1]))
                    .append(String.format("<text x=\"%.0f\" y=\"%.0f\" fill=\"#c62828\" text-anchor=\"middle\">",
                            (from[0] + to[0]) / 2, (from[1] + to[1]) / 2 - 4))
                    .append(Html.escape(step.path("rel").asText())).append("</text></g>\n");
        }
        for (int i = 0; i < n; i++) {
            JsonNode txn = steps.get(i).path("from");
            svg.append(String.format("<rect x=\"%.0f\" y=\"%.0f\" width=\"%d\" height=\"%d\" rx=\"4\" fill=\"#f7f7f7\" "
                            + "stroke=\"#444\"/>", x[i] - BOX_WIDTH / 2.0, y[i] - BOX_HEIGHT / 2.0, BOX_WIDTH, BOX_HEIGHT))
                    .append(String.format("<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">", x[i], y[i] - 3))
                    .append(Html.escape("process " + txn.path("process").asText() + ", " + txn.path("type").asText()))
                    .append("</text>")
                    .append(String.format("<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">", x[i], y[i] + 11))
                    .append(Html.escape(microOps(txn))).append("</text>\n");
        }
        return svg.append("</svg>\n").toString();
    }

    /** A transaction's micro-ops as the node completed them (as requested when it did not), cut to fit its box. */
    private static String microOps(JsonNode txn) {
        JsonNode ops = txn.path("reply").path("txn");
        if (!ops.isArray()) ops = txn.path("request").path("txn");
        String text = ops.toString();
        return text.length() <= 40 ? text : text.substring(0, 39) + "…";
    }

    /** Where the line from box center (x, y) towards (toX, toY) leaves the box. */
    private static double[] edgeOfBox(double x, double y, double toX, double toY) {
        double dx = toX - x;
        double dy = toY - y;
        if (dx == 0 && dy == 0) return new double[] {x, y};
        double scale = Math.min(dx == 0 ? Double.MAX_VALUE : (BOX_WIDTH / 2.0) / Math.abs(dx),
                dy == 0 ? Double.MAX_VALUE : (BOX_HEIGHT / 2.0) / Math.abs(dy));
        return new double[] {x + dx * scale, y + dy * scale};
    }
}
