package bench.report;

import bench.Json;
import bench.Op;
import bench.Options;
import bench.nemesis.NemesisEvent;
import bench.net.Network;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of a run: the verdicts, the net statistics as Maelstrom's net checker
 * computes them, the nodes' problems, and the bench's own cost.
 *
 * @param options   how the run was configured
 * @param validity  the overall verdict: invalid if any part is, else unknown if any part is
 * @param verdict   the workload checker's verdict, or null when the test never ran
 * @param ops       how the client operations ended
 * @param net       the message counts
 * @param latencies how long successful main-phase operations took, per type
 * @param problems  every problem with a node or the run, one readable line each
 * @param nemesis   what the nemesis did, in order
 * @param cost      what the run cost the bench and the nodes
 */
public record Results(Options options, Verdict.Validity validity, Verdict verdict, Ops ops, Network.Stats net,
                      Map<String, Latencies> latencies, List<String> problems, List<NemesisEvent> nemesis, Cost cost) {

    /**
     * How the client operations ended.
     *
     * @param invoked           client operations invoked (the msgs-per-op denominator)
     * @param ok                operations that ended ok
     * @param fail              operations that certainly failed
     * @param info              operations with unknown outcome
     * @param okFraction        ok ÷ invoked, as Maelstrom's availability checker reports it
     * @param availabilityJudged whether --availability was asked and applies: a request to
     *                          a killed or paused node times out, so under kill or pause
     *                          no bound can hold, and the ok fraction is only reported
     * @param availabilityValid whether --availability was met (true when not judged)
     */
    public record Ops(long invoked, long ok, long fail, long info, double okFraction, boolean availabilityJudged,
                      boolean availabilityValid) {

        /** Counts a history and judges it against the options' --availability, unless nodes crash. */
        static Ops of(List<Op> history, Options options) {
            long ok = history.stream().filter(Op::ok).count();
            long fail = history.stream().filter(o -> o.type() == Op.Type.FAIL).count();
            double okFraction = history.isEmpty() ? 1.0 : (double) ok / history.size();
            String availability = options.load().availability();
            boolean judged = availability != null && !options.faults().crashes();
            return new Ops(history.size(), ok, fail, history.size() - ok - fail, okFraction, judged,
                    !judged || availabilityMet(availability, okFraction));
        }
    }

    /**
     * What the run cost.
     *
     * @param benchCpuSeconds CPU the bench JVM used from starting the nodes to killing them,
     *                        less the charts' warm-up (drawing, which it does meanwhile)
     * @param routed          messages the network carried
     * @param maxLagMillis    the longest a delivery loop overslept a message's deadline
     * @param nodesCpuSeconds CPU the node processes used
     * @param drawingSeconds  wall-clock time drawing the run's pictures took, after the nodes stopped
     */
    public record Cost(double benchCpuSeconds, long routed, double maxLagMillis, double nodesCpuSeconds,
                       double drawingSeconds) {

        /** The bench's CPU seconds per 1000 messages routed. */
        public double benchCpuPer1000() {
            return routed == 0 ? 0 : benchCpuSeconds * 1000 / routed;
        }
    }

    /**
     * Assembles the results of a history: invalid when the checker said so, when
     * availability was not met, or when the run had any problem.
     */
    public static Results of(Options options, Verdict verdict, List<Op> history, Network.Stats net,
                             List<String> problems, List<NemesisEvent> nemesis, Cost cost) {
        Ops ops = Ops.of(history, options);
        Verdict.Validity validity = verdict == null ? Verdict.Validity.INVALID : verdict.validity();
        if (!ops.availabilityValid() || !problems.isEmpty()) {
            validity = Verdict.Validity.INVALID;
        }
        return new Results(options, validity, verdict, ops, net, Latencies.of(history), List.copyOf(problems),
                List.copyOf(nemesis), cost);
    }

    /** Maelstrom's availability checker: "total" or a minimum fraction. */
    static boolean availabilityMet(String availability, double okFraction) {
        if (availability.equals("total")) {
            return okFraction == 1.0;
        }
        return okFraction >= Double.parseDouble(availability);
    }

    /** All messages per operation, or 0 without operations. */
    public double allMsgsPerOp() {
        return ops.invoked() == 0 ? 0 : (double) net.all().msgCount() / ops.invoked();
    }

    /** Messages between servers (nodes and services) per operation, or 0 without operations. */
    public double serversMsgsPerOp() {
        return ops.invoked() == 0 ? 0 : (double) net.servers().msgCount() / ops.invoked();
    }

    /** The process exit code: 0 valid, 1 invalid, 2 unknown. */
    public int exitCode() {
        return switch (validity) {
            case VALID -> 0;
            case INVALID -> 1;
            case UNKNOWN -> 2;
        };
    }

    /** The results as results.json holds them. */
    public ObjectNode toJson() {
        ObjectNode root = Json.object();
        root.put("valid", validity.name().toLowerCase());
        ObjectNode test = root.putObject("test");
        test.put("workload", options.workload()).put("bin", options.program().bin().toString());
        options.program().args().forEach(test.putArray("args")::add);
        options.nodes().forEach(test.putArray("nodes")::add);
        test.put("node-count", options.cluster().nodeCount()).put("time-limit", options.load().timeLimit())
                .put("rate", options.load().rate()).put("latency", options.cluster().latencyMillis())
                .put("latency-dist", options.cluster().latencyDist().name().toLowerCase())
                .put("nemesis", options.faults().names())
                .put("nemesis-interval", options.faults().nemesisInterval())
                .put("concurrency", options.load().concurrency())
                .put("availability", options.load().availability()).put("quiet-period", options.load().quietPeriod())
                .put("seed", options.seed()).put("topology", options.params().topology());
        ObjectNode workload = root.putObject("workload");
        if (verdict != null) {
            workload.put("valid", verdict.validity().name().toLowerCase());
            workload.setAll(verdict.details());
            verdict.findings().forEach(workload.putArray("findings")::add);
        }
        root.putObject("availability").put("valid", ops.availabilityValid()).put("judged", ops.availabilityJudged())
                .put("ok-fraction", ops.okFraction());
        root.putObject("ops").put("invoked", ops.invoked()).put("ok", ops.ok()).put("fail", ops.fail())
                .put("info", ops.info());
        ObjectNode netJson = root.putObject("net");
        netJson.set("all", counts(net.all()).put("msgs-per-op", allMsgsPerOp()));
        netJson.set("clients", counts(net.clients()));
        netJson.set("servers", counts(net.servers()).put("msgs-per-op", serversMsgsPerOp()));
        problems.forEach(root.putArray("problems")::add);
        ObjectNode latencyJson = root.putObject("latencies");
        latencies.forEach((f, l) -> latencyJson.putObject(f).put("count", l.count()).put("0", l.min())
                .put("0.5", l.p50()).put("0.95", l.p95()).put("0.99", l.p99()).put("1", l.max()));
        ArrayNode nem = root.putArray("nemesis");
        for (NemesisEvent e : nemesis) {
            ObjectNode ev = nem.addObject().put("time-ms", e.invokedNanos() / 1_000_000)
                    .put("completed-ms", e.completedNanos() / 1_000_000).put("f", e.f()).put("final", e.isFinal());
            switch (e) {
                case NemesisEvent.Partition p when p.shape() != null -> {
                    ev.put("shape", p.shape());
                    ev.set("grudge", Json.MAPPER.valueToTree(p.grudge()));
                }
                case NemesisEvent.Partition p -> {
                }
                case NemesisEvent.Processes p -> {
                    ev.put("spec", p.spec());
                    ev.set("targets", Json.MAPPER.valueToTree(p.targets()));
                    ev.set("changed", Json.MAPPER.valueToTree(p.changed()));
                }
            }
        }
        ObjectNode down = root.putObject("downtime");
        Downtime.of(nemesis).forEach((node, spans) -> {
            ArrayNode list = down.putArray(node);
            spans.forEach(span -> list.addObject().put("fault", span.fault()).put("from-ms", span.fromMillis())
                    .put("to-ms", span.toMillis()));
        });
        root.putObject("bench").put("cpu-seconds", cost.benchCpuSeconds()).put("messages-routed", cost.routed())
                .put("cpu-seconds-per-1000-messages", cost.benchCpuPer1000())
                .put("max-delivery-lag-ms", cost.maxLagMillis())
                .put("nodes-cpu-seconds", cost.nodesCpuSeconds()).put("drawing-seconds", cost.drawingSeconds());
        return root;
    }

    private static ObjectNode counts(Network.Counts c) {
        return Json.object().put("send-count", c.sendCount()).put("recv-count", c.recvCount())
                .put("msg-count", c.msgCount());
    }

    /** Writes results.json into the run's folder. */
    public void write() throws IOException {
        Files.createDirectories(options.runDir());
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(options.runDir().resolve("results.json").toFile(), toJson());
    }

    /** Prints a readable summary. */
    public void print(PrintStream out) {
        out.println();
        out.printf("%s: %d nodes, %s %s%n", options.workload(), options.cluster().nodeCount(), options.program().bin().getFileName(),
                String.join(" ", options.program().args()));
        String required = options.load().availability();
        out.printf("  ops        %d invoked: %d ok, %d fail, %d info; ok fraction %.4f%s%n", ops.invoked(), ops.ok(),
                ops.fail(), ops.info(), ops.okFraction(), required == null ? ""
                        : !ops.availabilityJudged() ? " (required " + required + ": not judged, nodes are killed or paused)"
                        : " (required " + required + ": " + (ops.availabilityValid() ? "met" : "NOT met") + ")");
        out.printf("  net        all %d msgs (%.2f/op), clients %d, servers %d (%.2f/op)%n", net.all().msgCount(),
                allMsgsPerOp(), net.clients().msgCount(), net.servers().msgCount(), serversMsgsPerOp());
        latencies.forEach((f, l) -> out.printf("  latency    %-22s %6d ok, ms: median %.1f, 0.95 %.1f, 0.99 %.1f, max %.1f%n",
                f, l.count(), l.p50(), l.p95(), l.p99(), l.max()));
        List<String> shapes = nemesis.stream().map(e -> e instanceof NemesisEvent.Partition p ? p.shape() : null)
                .filter(Objects::nonNull).toList();
        if (!shapes.isEmpty()) {
            out.printf("  nemesis    %d partitions: %s%n", shapes.size(), String.join(", ", shapes));
        }
        Downtime.of(nemesis).forEach((node, spans) -> out.printf("  nemesis    %s %s%n", node, String.join(", ",
                spans.stream().map(Downtime.Span::toString).toList())));
        if (verdict != null) {
            out.printf("  workload   %s%n", verdict.validity().name().toLowerCase());
            verdict.details().properties().forEach(e -> out.printf("    %-18s %s%n", e.getKey(), brief(e.getValue())));
            verdict.findings().stream().limit(20).forEach(f -> out.println("    ! " + f));
            if (verdict.findings().size() > 20) {
                out.printf("    ... and %d more findings in results.json%n", verdict.findings().size() - 20);
            }
        }
        problems.forEach(p -> out.println("  PROBLEM    " + p));
        out.printf("  bench CPU  %.2f s for %d messages routed = %.4f s per 1000 messages (nodes used %.1f s); "
                + "deliveries at most %.1f ms late; pictures drawn in %.2f s%n", cost.benchCpuSeconds(), cost.routed(),
                cost.benchCpuPer1000(), cost.nodesCpuSeconds(), cost.maxLagMillis(), cost.drawingSeconds());
        out.printf("  results    %s%n", options.runDir().resolve("results.json"));
        out.println(switch (validity) {
            case VALID -> "Everything looks good!";
            case INVALID -> "Analysis invalid!";
            case UNKNOWN -> "Errors occurred during analysis, but no anomalies found.";
        });
    }

    private static String brief(JsonNode v) {
        String s = v.toString();
        return s.length() <= 160 ? s : s.substring(0, 160) + "…";
    }
}
