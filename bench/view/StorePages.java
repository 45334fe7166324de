package bench.view;

import bench.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The pages {@code bench serve} shows: the index of the runs in a store, newest first,
 * and one run's page with its pictures, the cycles a transactional checker found, its
 * results and node logs. A picture that fails to load is replaced by a line saying so,
 * which also goes to the browser's console.
 */
public final class StorePages {

    /** A run's folder in the store, relative to it ("broadcast/20261201T233742.376"), and its results. */
    record Run(String path, JsonNode results) {
    }

    static final String STYLE = """
            <style>
            body{font:14px sans-serif;margin:16px 24px;color:#222}
            table{border-collapse:collapse} td,th{padding:3px 10px;border-bottom:1px solid #ddd;text-align:left}
            th{background:#f3f3f3} .valid{color:#1a7f37;font-weight:bold} .invalid{color:#c62828;font-weight:bold}
            .unknown{color:#b26a00;font-weight:bold} .num{text-align:right;font-variant-numeric:tabular-nums}
            img{display:block;max-width:100%;border:1px solid #ddd;margin:6px 0 18px}
            iframe{width:100%;height:640px;border:1px solid #ddd;margin:6px 0 4px}
            pre{background:#f7f7f7;padding:8px;overflow:auto;max-height:480px}
            .missing{color:#c62828}
            </style>
            <script>
            function pictureFailed(e) {
              const name = e.getAttribute('src');
              console.error('picture failed to load: ' + name);
              const p = document.createElement('p');
              p.className = 'missing';
              p.textContent = name + ' could not be loaded';
              e.replaceWith(p);
            }
            window.addEventListener('load', () => {
              document.querySelectorAll('img').forEach(i => { if (!i.naturalWidth) pictureFailed(i); });
              document.querySelectorAll('iframe').forEach(f => {
                const d = f.contentDocument;
                if (!d || !d.documentElement || d.documentElement.nodeName.toLowerCase() !== f.dataset.root) pictureFailed(f);
              });
            });
            </script>
            """;

    private StorePages() {
    }

    /** The index of every run under {@code store}, newest first. */
    public static String index(Path store) throws IOException {
        var html = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>bench runs</title>\n")
                .append(STYLE).append("</head><body>\n<h2>Runs in ").append(Html.escape(store.toString()))
                .append("</h2>\n");
        List<Run> runs = runs(store);
        if (runs.isEmpty()) {
            return html.append("<p>No runs yet: <code>./jbang bench.java test ...</code> writes them here.</p>")
                    .append("</body></html>\n").toString();
        }
        html.append("<table><tr><th>run</th>").append(FIGURES).append("</tr>\n");
        for (Run run : runs) {
            html.append("<tr><td><a href=\"/").append(Html.escape(run.path())).append("/\">")
                    .append(Html.escape(run.path().substring(run.path().indexOf('/') + 1))).append("</a></td>")
                    .append(figures(run.results())).append("</tr>\n");
        }
        return html.append("</table></body></html>\n").toString();
    }

    /** The page of the run in {@code dir}, named {@code path} in the store. */
    public static String run(Path dir, String path) throws IOException {
        JsonNode r = Json.MAPPER.readTree(dir.resolve("results.json").toFile());
        var html = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
                .append(Html.escape(path)).append("</title>\n").append(STYLE).append("</head><body>\n")
                .append("<p><a href=\"/\">all runs</a></p>\n<h2>").append(Html.escape(path)).append("</h2>\n")
                .append("<table><tr>").append(FIGURES).append("</tr>\n<tr>").append(figures(r)).append("</tr></table>\n");
        for (String png : Charts.FILES) {
            if (Files.exists(dir.resolve(png))) {
                html.append("<img src=\"").append(png).append("\" alt=\"").append(png).append("\">\n");
            }
        }
        if (Files.exists(dir.resolve(LamportDiagram.fileName(1)))) {
            html.append("<h3>Messages</h3>\n<p>A Lamport diagram: a lane per process, time running down, an arrow per ")
                    .append("message (hover one for its body); dashed red: dropped by a partition. Pages of at most ")
                    .append(LamportDiagram.PAGE).append(" messages:");
            for (int p = 1; Files.exists(dir.resolve(LamportDiagram.fileName(p))); p++) {
                html.append(" <a href=\"").append(LamportDiagram.fileName(p)).append("\">").append(p).append("</a>");
            }
            html.append("</p>\n<iframe src=\"").append(LamportDiagram.fileName(1)).append("\" data-root=\"svg\"></iframe>\n");
        }
        html.append(CycleDiagram.section(r.path("workload").path("anomalies")));
        if (Files.exists(dir.resolve("timeline.html"))) {
            html.append("<h3>Timeline</h3>\n<p><a href=\"timeline.html\">timeline.html</a> on its own page</p>\n")
                    .append("<iframe src=\"timeline.html\" data-root=\"html\"></iframe>\n");
        }
        html.append("<h3>Node logs</h3>\n<ul>\n");
        Path logs = dir.resolve("node-logs");
        if (Files.isDirectory(logs)) {
            try (Stream<Path> files = Files.list(logs)) {
                for (Path log : files.sorted(Comparator.comparing(
                        (Path p) -> p.getFileName().toString().replaceFirst("\\.log$", ""), LamportDiagram.LANES)).toList()) {
                    String name = log.getFileName().toString();
                    html.append("<li><a href=\"node-logs/").append(Html.escape(name)).append("\">").append(Html.escape(name))
                            .append("</a> (").append(Files.size(log)).append(" bytes)</li>\n");
                }
            }
        }
        html.append("</ul>\n<h3>Results</h3>\n<p><a href=\"results.json\">results.json</a> · ")
                .append("<a href=\"history.jsonl\">history.jsonl</a></p>\n<pre>")
                .append(Html.escape(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(r)))
                .append("</pre>\n</body></html>\n");
        return html.toString();
    }

    /** Every run folder (workload/stamp, holding results.json) under {@code store}, newest first. */
    static List<Run> runs(Path store) throws IOException {
        List<Run> runs = new ArrayList<>();
        if (!Files.isDirectory(store)) {
            return runs;
        }
        try (Stream<Path> workloads = Files.list(store)) {
            for (Path w : workloads.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                try (Stream<Path> stamps = Files.list(w)) {
                    for (Path dir : stamps.filter(p -> Files.isRegularFile(p.resolve("results.json"))).toList()) {
                        try {
                            runs.add(new Run(store.relativize(dir).toString().replace('\\', '/'),
                                    Json.MAPPER.readTree(dir.resolve("results.json").toFile())));
                        } catch (IOException e) {
                            // A results.json being written, or broken: the index goes on without it.
                        }
                    }
                }
            }
        }
        runs.sort(Comparator.comparing((Run r) -> r.path().substring(r.path().indexOf('/') + 1)).reversed());
        return runs;
    }

    /** The headings of a run's key figures, as {@link #figures} gives them. */
    static final String FIGURES = "<th>workload</th><th>flags</th><th>verdict</th><th class=\"num\">ops</th>"
            + "<th class=\"num\">ok fraction</th><th class=\"num\">servers msgs/op</th>"
            + "<th class=\"num\">latency median / max ms</th><th class=\"num\">stable latency median / max ms</th>";

    /** A run's key figures, as table cells under {@link #FIGURES}. */
    static String figures(JsonNode r) {
        String v = r.path("valid").asText("unknown");
        return "<td>" + Html.escape(r.path("test").path("workload").asText()) + "</td><td>"
                + Html.escape(flags(r.path("test"))) + "</td><td class=\"" + Html.escape(v) + "\">" + Html.escape(v)
                + "</td>" + num(r.path("ops").path("invoked")) + num(r.path("availability").path("ok-fraction"))
                + num(r.path("net").path("servers").path("msgs-per-op")) + pair(latencies(r))
                + pair(r.path("workload").path("stable-latencies"));
    }

    /** The flags a run was given, as a short command-line fragment. */
    static String flags(JsonNode t) {
        var words = new ArrayList<String>();
        words.add("--node-count " + t.path("node-count").asText());
        words.add("--time-limit " + t.path("time-limit").asText());
        words.add("--rate " + t.path("rate").asText());
        if (t.path("latency").asLong() > 0) {
            words.add("--latency " + t.path("latency").asText());
        }
        if (!t.path("nemesis").asText().isEmpty()) {
            words.add("--nemesis " + t.path("nemesis").asText());
        }
        if (!t.path("availability").isNull() && !t.path("availability").isMissingNode()) {
            words.add("--availability " + t.path("availability").asText());
        }
        words.add("--seed " + t.path("seed").asText());
        t.path("args").forEach(a -> words.add(a.asText()));
        return String.join(" ", words);
    }

    private static JsonNode latencies(JsonNode r) {
        JsonNode l = r.path("latencies");
        return l.has("all") ? l.get("all") : l.elements().hasNext() ? l.elements().next() : l;
    }

    private static String num(JsonNode v) {
        if (!v.isNumber()) {
            return "<td class=\"num\">–</td>";
        }
        double d = v.asDouble();
        String shown = d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : String.format("%.3g", d);
        return "<td class=\"num\">" + shown + "</td>";
    }

    /** Median and max of a quantiles object. */
    private static String pair(JsonNode q) {
        if (!q.path("0.5").isNumber()) {
            return "<td class=\"num\">–</td>";
        }
        return "<td class=\"num\">" + millis(q.get("0.5").asDouble()) + " / " + millis(q.get("1").asDouble()) + "</td>";
    }

    private static String millis(double ms) {
        return ms < 10 ? String.format("%.1f", ms) : Long.toString(Math.round(ms));
    }
}
