package bench.view;

import bench.net.Network;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The Lamport diagram of a run's messages, as SVG written directly: a lane per node,
 * client and service, time running down, an arrow per message from its sending to its
 * arrival, its body on hover. Arrows are coloured by kind (client, between nodes, to a
 * service, error reply); a message a partition dropped is a dashed red arrow ending
 * where it was cut, one never handed over a dotted grey stub; faults are shaded bands.
 *
 * <p>A browser struggles with an SVG of tens of thousands of arrows, so a long run is
 * drawn as pages of at most {@link #PAGE} messages in order of sending, each linked to
 * the one before and after: {@code messages.svg}, {@code messages-2.svg}, … Each page
 * has only the lanes its messages use, and is at most {@link #MAX_HEIGHT} pixels tall.
 *
 * <p>Clients outnumber nodes: a run opens one per node for init, one per node for the
 * setup request and one per worker process, so a 25-node broadcast run has 75 of them,
 * and a lane each made its first page a hundred lanes (6,400 px) wide. But a client
 * talks to one node only, so its lane carries nothing but arrows to and from that node.
 * Every client that on a page talks to one node alone is therefore drawn in one narrow
 * lane, {@link #CLIENT_LANE} wide, just left of its node, shared with that node's other
 * clients: their arrows stay short and sit beside the node they concern, the page is as
 * wide as its nodes (25 nodes: 2,300 px), and a hover still names the client of each
 * arrow, as the lane's label names them all. A client that talks to several nodes or to
 * a service keeps a full lane of its own, at the left.
 */
public final class LamportDiagram {

    /** The most messages on one page. */
    static final int PAGE = 1500;
    /** The tallest a page gets, in pixels. */
    static final int MAX_HEIGHT = 12_000;
    static final int LANE = 64, LEFT = 80, TOP = 80, BOTTOM = 40;
    /** The width of the lane a node's clients share, left of the node's own. */
    static final int CLIENT_LANE = 28;
    /** The longest body text shown on hover. */
    static final int BODY_CHARS = 600;

    private LamportDiagram() {
    }

    /** The file of page {@code page}, counted from 1. */
    public static String fileName(int page) {
        return page == 1 ? "messages.svg" : "messages-" + page + ".svg";
    }

    /** Writes every page into {@code dir}, each a task of {@code pool}; returns how many there are. */
    public static int write(Path dir, RunTrace run, ExecutorService pool) throws IOException {
        List<MessageJournal.Flight> flights = run.flights();
        int pages = Math.max(1, (flights.size() + PAGE - 1) / PAGE);
        List<Future<?>> written = new ArrayList<>();
        for (int p = 1; p <= pages; p++) {
            int number = p;
            List<MessageJournal.Flight> page = flights.subList((p - 1) * PAGE, Math.min(flights.size(), p * PAGE));
            written.add(pool.submit(() -> Files.writeString(dir.resolve(fileName(number)),
                    page(run, page, number, pages, flights.size()))));
        }
        for (Future<?> w : written) {
            Pictures.join(w);
        }
        return pages;
    }

    private static final Pattern NODE = Pattern.compile("n\\d+"), NUMBERED = Pattern.compile("[a-z]\\d+");

    /** The order of lanes: clients, then nodes, then services; by number within each. */
    static final Comparator<String> LANES = Comparator.<String>comparingInt(
                    id -> Network.isClient(id) ? 0 : isNode(id) ? 1 : 2)
            .thenComparingLong(id -> NUMBERED.matcher(id).matches() ? Long.parseLong(id.substring(1)) : 0)
            .thenComparing(Function.identity());

    private static boolean isNode(String id) {
        return NODE.matcher(id).matches();
    }

    /**
     * A lane of a page.
     *
     * @param x       where its line is
     * @param label   the name at its ends
     * @param title   who it is, on hover
     * @param clients whether it is the narrow lane a node's clients share
     */
    record Lane(int x, String label, String title, boolean clients) {
    }

    /**
     * Where each process of a page is drawn.
     *
     * @param x     the x of each process's lane
     * @param lanes the lanes, left to right
     * @param width the page's width
     */
    record Layout(Map<String, Integer> x, List<Lane> lanes, int width) {

        /** The lanes of {@code flights}: see the class comment for why clients of one node share one. */
        static Layout of(List<MessageJournal.Flight> flights) {
            Map<String, Set<String>> peers = new HashMap<>();
            for (var f : flights) {
                peers.computeIfAbsent(f.src(), id -> new HashSet<>()).add(f.dest());
                peers.computeIfAbsent(f.dest(), id -> new HashSet<>()).add(f.src());
            }
            Map<String, List<String>> clientsOf = new HashMap<>();
            List<String> order = new ArrayList<>();
            peers.forEach((id, with) -> {
                String only = with.size() == 1 ? with.iterator().next() : "";
                if (Network.isClient(id) && isNode(only)) {
                    clientsOf.computeIfAbsent(only, n -> new ArrayList<>()).add(id);
                } else {
                    order.add(id);
                }
            });
            order.sort(LANES);
            Map<String, Integer> x = new HashMap<>();
            List<Lane> lanes = new ArrayList<>();
            int left = LEFT;
            for (String id : order) {
                List<String> clients = clientsOf.getOrDefault(id, List.of());
                if (!clients.isEmpty()) {
                    clients.sort(LANES);
                    int cx = left + CLIENT_LANE / 2;
                    clients.forEach(c -> x.put(c, cx));
                    lanes.add(new Lane(cx, clients.size() == 1 ? clients.getFirst()
                            : clients.getFirst() + "+" + (clients.size() - 1), String.join(" ", clients), true));
                    left += CLIENT_LANE;
                }
                x.put(id, left + LANE / 2);
                lanes.add(new Lane(left + LANE / 2, id, id, false));
                left += LANE;
            }
            return new Layout(x, lanes, Math.max(left, LEFT + 4 * LANE) + 20);
        }
    }

    static String page(RunTrace run, List<MessageJournal.Flight> flights, int page, int pages, int total) {
        Layout layout = Layout.of(flights);
        Map<String, Integer> x = layout.x();
        long from = flights.isEmpty() ? 0 : flights.getFirst().sentAt();
        long to = from + 1;
        for (var f : flights) {
            to = Math.max(to, Math.max(f.sentAt(), f.arrivedAt()));
        }
        double height = Math.clamp(flights.size() * 7.0, 400, MAX_HEIGHT);
        TimeScale y = new TimeScale(flights, height);
        long stubTo = to;
        int width = layout.width();
        int bottom = y.apply(to) + BOTTOM;

        var svg = new StringBuilder(200 + flights.size() * 260);
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"")
                .append(bottom).append("\" font-family=\"sans-serif\" font-size=\"11\">\n");
        svg.append("""
                <style>
                line{stroke-width:1.2}
                g:hover line{stroke-width:3.5}
                .c line{stroke:#1f77b4} .s line{stroke:#2f8f4f} .v line{stroke:#8e5fb5} .e line{stroke:#e07b00}
                .d line{stroke:#d62728;stroke-dasharray:5 3} .u line{stroke:#999;stroke-dasharray:1 3}
                .lane{stroke:#ccc;stroke-width:1} .tick{stroke:#eee} .label{font-weight:bold;text-anchor:middle}
                .cl{font-weight:normal;font-size:9px;fill:#1f77b4}
                .t{fill:#555;font-size:9px} .nav{fill:#1f5fb4;text-decoration:underline;cursor:pointer}
                </style>
                <defs>
                """);
        for (String[] m : new String[][]{{"c", "#1f77b4"}, {"s", "#2f8f4f"}, {"v", "#8e5fb5"}, {"e", "#e07b00"},
                {"d", "#d62728"}, {"u", "#999"}}) {
            svg.append("<marker id=\"").append(m[0]).append("\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" ")
                    .append("markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0L10,5L0,10z\" fill=\"")
                    .append(m[1]).append("\"/></marker>\n");
        }
        svg.append("</defs>\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");

        for (Faults.Interval f : run.faults()) {
            if (f.toNanos() < from || f.fromNanos() > to) {
                continue;
            }
            int y0 = y.apply(Math.max(from, f.fromNanos())), y1 = y.apply(Math.min(to, f.toNanos()));
            svg.append("<rect x=\"").append(LEFT).append("\" y=\"").append(y0).append("\" width=\"")
                    .append(width - LEFT).append("\" height=\"").append(Math.max(1, y1 - y0))
                    .append("\" fill=\"#ff503c\" fill-opacity=\"0.10\"><title>").append(Html.escape(f.kind()))
                    .append(' ').append(Html.escape(f.detail())).append("</title></rect>\n<text x=\"").append(width - 6)
                    .append("\" y=\"").append(y0 + 12).append("\" text-anchor=\"end\" fill=\"#a03020\">")
                    .append(Html.escape(f.kind() + " " + f.detail())).append("</text>\n");
        }
        for (long[] gap : y.gaps()) {
            int y0 = y.apply(gap[0]), y1 = y.apply(gap[1]);
            svg.append("<rect x=\"").append(LEFT).append("\" y=\"").append(y0 + 2).append("\" width=\"")
                    .append(width - LEFT).append("\" height=\"").append(Math.max(1, y1 - y0 - 4))
                    .append("\" fill=\"#f0f0f0\"/><text x=\"").append(LEFT + 6).append("\" y=\"")
                    .append((y0 + y1) / 2 + 4).append("\" fill=\"#777\">").append(Html.escape(
                            String.format("%.2f s without messages, drawn short", (gap[1] - gap[0]) / 1e9)))
                    .append("</text>\n");
        }
        int lastTick = -1000;
        double stepMs = tickStep(y.perMs);
        for (double t = Math.ceil(from / 1e6 / stepMs) * stepMs; t * 1e6 <= to; t += stepMs) {
            int ty = y.apply((long) (t * 1e6));
            if (ty - lastTick < 30) {
                continue;
            }
            lastTick = ty;
            svg.append("<line class=\"tick\" x1=\"").append(LEFT).append("\" x2=\"").append(width).append("\" y1=\"")
                    .append(ty).append("\" y2=\"").append(ty).append("\"/><text x=\"").append(LEFT - 6).append("\" y=\"")
                    .append(ty + 4).append("\" text-anchor=\"end\">").append(Html.escape(seconds(t))).append("</text>\n");
        }
        for (Lane lane : layout.lanes()) {
            int lx = lane.x();
            String label = "<title>" + Html.escape(lane.title()) + "</title>" + Html.escape(lane.label());
            String labelClass = lane.clients() ? "label cl" : "label";
            svg.append("<line class=\"lane\" x1=\"").append(lx).append("\" x2=\"").append(lx).append("\" y1=\"")
                    .append(TOP - 8).append("\" y2=\"").append(bottom - BOTTOM + 8).append("\"/><text class=\"")
                    .append(labelClass).append("\" x=\"").append(lx).append("\" y=\"").append(TOP - 14).append("\">")
                    .append(label).append("</text><text class=\"").append(labelClass).append("\" x=\"").append(lx)
                    .append("\" y=\"").append(bottom - BOTTOM + 22).append("\">").append(label).append("</text>\n");
        }
        boolean labels = height / Math.max(1, flights.size()) >= 12;
        for (var f : flights) {
            MessageJournal.Body body = f.body();
            String type = body.type();
            boolean never = f.fate() == MessageJournal.Fate.NEVER;
            String kind = f.fate() == MessageJournal.Fate.DROPPED ? "d" : never ? "u" : type.equals("error") ? "e"
                    : Network.isClient(f.src()) || Network.isClient(f.dest()) ? "c"
                    : isNode(f.src()) && isNode(f.dest()) ? "s" : "v";
            int x1 = x.get(f.src()), y1 = y.apply(f.sentAt());
            int x2 = x.get(f.dest()), y2 = y.apply(never ? stubTo : f.arrivedAt());
            if (never) {
                x2 = x1 + (x2 - x1) / 3;
            }
            String text = body.text();
            if (text.length() > BODY_CHARS) {
                text = text.substring(0, BODY_CHARS) + "…";
            }
            svg.append("<g class=\"").append(kind).append("\"><title>");
            Html.escape(svg, f.src()).append(" → ");
            Html.escape(svg, f.dest()).append(", sent ").append(millis(f.sentAt()))
                    .append(never ? ", never handed over" : (f.fate() == MessageJournal.Fate.DROPPED ? ", dropped " : ", arrived ")
                            + millis(f.arrivedAt())).append('\n');
            Html.escape(svg, text).append("</title><line x1=\"").append(x1).append("\" y1=\"").append(y1).append("\" x2=\"")
                    .append(x2).append("\" y2=\"").append(y2).append("\" marker-end=\"url(#").append(kind)
                    .append(")\"/>");
            if (labels) {
                svg.append("<text class=\"t\" x=\"").append((x1 + x2) / 2).append("\" y=\"").append((y1 + y2) / 2 - 2)
                        .append("\" text-anchor=\"middle\">").append(Html.escape(type)).append("</text>");
            }
            svg.append("</g>\n");
        }
        svg.append("<text x=\"").append(LEFT).append("\" y=\"16\" font-size=\"13\" font-weight=\"bold\">")
                .append(Html.escape(run.title())).append("</text>\n<text x=\"").append(LEFT).append("\" y=\"32\">")
                .append(flights.isEmpty() ? "no messages" : "messages " + ((page - 1) * PAGE + 1) + "–"
                        + ((page - 1) * PAGE + flights.size()) + " of " + total + ", page " + page + " of " + pages)
                .append(run.truncated() ? " (the journal was full: later messages are not drawn)" : "")
                .append(" · hover an arrow for its body</text>\n");
        if (page > 1) {
            svg.append("<a href=\"").append(fileName(page - 1)).append("\"><text class=\"nav\" x=\"").append(LEFT)
                    .append("\" y=\"50\">← earlier</text></a>\n");
        }
        if (page < pages) {
            svg.append("<a href=\"").append(fileName(page + 1)).append("\"><text class=\"nav\" x=\"").append(LEFT + 80)
                    .append("\" y=\"50\">later →</text></a>\n");
        }
        return svg.append("</svg>\n").toString();
    }

    /**
     * Time to y, in pixels: linear at {@link #perMs}, except that a stretch without any
     * message sent or arriving that is longer than {@link #GAP_NANOS} (nodes starting, the
     * quiet period) is drawn that long, so that the page is spent on messages.
     */
    static final class TimeScale {
        /** The longest stretch without events drawn at full length. */
        static final long GAP_NANOS = 200_000_000;
        private final long[] times;
        private final double[] ys;
        final double perMs;

        TimeScale(List<MessageJournal.Flight> flights, double height) {
            long[] all = new long[flights.size() * 2];
            for (int i = 0; i < flights.size(); i++) {
                all[2 * i] = flights.get(i).sentAt();
                all[2 * i + 1] = flights.get(i).arrivedAt();
            }
            times = java.util.Arrays.stream(all).sorted().distinct().toArray();
            double[] compressed = new double[times.length];
            for (int i = 1; i < times.length; i++) {
                compressed[i] = compressed[i - 1] + Math.min(times[i] - times[i - 1], GAP_NANOS) / 1e6;
            }
            double spanMs = times.length == 0 ? 1 : Math.max(1, compressed[times.length - 1]);
            perMs = height / spanMs;
            ys = new double[times.length];
            for (int i = 0; i < times.length; i++) {
                ys[i] = TOP + compressed[i] * perMs;
            }
        }

        /** The y of time {@code t}. */
        int apply(long t) {
            if (times.length == 0) {
                return TOP;
            }
            int i = java.util.Arrays.binarySearch(times, t);
            if (i >= 0) {
                return (int) Math.round(ys[i]);
            }
            int after = -i - 1;
            if (after == 0) {
                return (int) Math.round(ys[0] - (times[0] - t) / 1e6 * perMs);
            }
            if (after == times.length) {
                return (int) Math.round(ys[after - 1] + Math.min(t - times[after - 1], GAP_NANOS) / 1e6 * perMs);
            }
            double share = (double) (t - times[after - 1]) / (times[after] - times[after - 1]);
            return (int) Math.round(ys[after - 1] + share * (ys[after] - ys[after - 1]));
        }

        /** The stretches drawn short, as [from, to] pairs. */
        List<long[]> gaps() {
            List<long[]> gaps = new ArrayList<>();
            for (int i = 1; i < times.length; i++) {
                if (times[i] - times[i - 1] > GAP_NANOS) {
                    gaps.add(new long[]{times[i - 1], times[i]});
                }
            }
            return gaps;
        }
    }

    /** A step between time labels, in ms, that puts them at least 40 px apart. */
    private static double tickStep(double perMs) {
        for (double step : new double[]{0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000}) {
            if (step * perMs >= 40) {
                return step;
            }
        }
        return 60000;
    }

    private static String seconds(double ms) {
        return String.format("%.3f s", ms / 1000 + 0.0); // + 0.0: no "-0.000"
    }

    /** Nanoseconds as milliseconds with one decimal, without String.format: it runs twice per arrow and per operation. */
    static String millis(long nanos) {
        long tenths = Math.round(nanos / 1e5);
        return (tenths < 0 ? "-" : "") + Math.abs(tenths) / 10 + "." + Math.abs(tenths) % 10 + " ms";
    }
}
