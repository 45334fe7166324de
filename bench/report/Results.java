package bench.report;

import bench.Json;
import bench.Op;
import bench.Options;
import bench.nemesis.NemesisEvent;
import bench.net.Network;
import bench.net.NodeProcess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a run: the verdicts, the net statistics as Maelstrom's net checker
 * computes them, the nodes' problems, and the bench's own cost.
 *
 * @param options      how the run was configured
 * @param validity     the overall verdict: invalid if any part is, else unknown if any part is
 * @param verdict      the workload checker's verdict, or null when the test never ran
 * @param opCount      client operations invoked (the msgs-per-op denominator)
 * @param okCount      operations that ended ok
 * @param failCount    operations that certainly failed
 * @param infoCount    operations with unknown outcome
 * @param okFraction   ok ÷ invoked, as Maelstrom's availability checker reports it
 * @param availabilityValid whether --availability was met (true when not asked)
 * @param net          the message counts
 * @param problems     every problem with a node or the run, one readable line each
 * @param nemesis      what the nemesis did, in order
 * @param benchCpuSeconds CPU the bench JVM used from starting the nodes to killing them
 * @param routed       messages the network carried
 * @param maxLagMillis the longest a delivery loop overslept a message's deadline
 * @param nodesCpuSeconds CPU the node processes used
 * @param latencies    how long successful main-phase operations took, per type
 */
public record Results(Options options, Verdict.Validity validity, Verdict verdict, long opCount, long okCount,
                      long failCount, long infoCount, double okFraction, boolean availabilityValid,
                      Network.Stats net, List<String> problems, List<NemesisEvent> nemesis,
                      double benchCpuSeconds, long routed, double maxLagMillis, double nodesCpuSeconds,
                      Map<String, Latencies> latencies) {

    /** Assembles the results and judges availability and the nodes' problems. */
    public static Results of(Options options, Verdict verdict, List<Op> ops, Network.Stats net, List<NodeProcess> nodes,
                      List<String> runProblems, List<NemesisEvent> nemesis, double benchCpu, long routed,
                      double maxLagMillis) {
        long ok = ops.stream().filter(Op::ok).count();
        long fail = ops.stream().filter(o -> o.type() == Op.Type.FAIL).count();
        double okFraction = ops.isEmpty() ? 1.0 : (double) ok / ops.size();
        boolean availabilityValid = availabilityMet(options.load().availability(), okFraction);
        List<String> problems = new ArrayList<>(runProblems);
        for (NodeProcess node : nodes) {
            for (String p : node.problems()) {
                List<String> tail = node.lastLogLines();
                problems.add("node " + node.id() + " " + p
                        + (tail.isEmpty() ? " (its log is empty)" : "; last log lines:\n    " + String.join("\n    ", tail)));
            }
        }
        double nodesCpu = nodes.stream().mapToDouble(n -> n.cpu().toNanos() / 1e9).sum();
        Verdict.Validity validity = verdict == null ? Verdict.Validity.INVALID : verdict.validity();
        if (!availabilityValid || !problems.isEmpty()) {
            validity = Verdict.Validity.INVALID;
        }
        return new Results(options, validity, verdict, ops.size(), ok, fail, ops.size() - ok - fail, okFraction,
                availabilityValid, net, List.copyOf(problems), List.copyOf(nemesis), benchCpu, routed, maxLagMillis,
                nodesCpu, Latencies.of(ops));
    }

    /** Maelstrom's availability checker: nothing asked, "total", or a minimum fraction. */
    static boolean availabilityMet(String availability, double okFraction) {
        if (availability == null) {
            return true;
        }
        if (availability.equals("total")) {
            return okFraction == 1.0;
        }
        return okFraction >= Double.parseDouble(availability);
    }

    /** All messages per operation, or 0 without operations. */
    public double allMsgsPerOp() {
        return opCount == 0 ? 0 : (double) net.all().msgCount() / opCount;
    }

    /** Messages between servers (nodes and services) per operation, or 0 without operations. */
    public double serversMsgsPerOp() {
        return opCount == 0 ? 0 : (double) net.servers().msgCount() / opCount;
    }

    /** The bench's CPU seconds per 1000 messages routed. */
    public double benchCpuPer1000() {
        return routed == 0 ? 0 : benchCpuSeconds * 1000 / routed;
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
        test.put("node-count", options.cluster().nodeCount()).put("time-limit", options.load().timeLimit())
                .put("rate", options.load().rate()).put("latency", options.cluster().latencyMillis())
                .put("latency-dist", options.cluster().latencyDist().name().toLowerCase())
                .put("nemesis", options.faults().partition() ? "partition" : "")
                .put("nemesis-interval", options.faults().nemesisInterval()).put("concurrency", options.load().concurrency())
                .put("availability", options.load().availability()).put("quiet-period", options.load().quietPeriod())
                .put("seed", options.seed()).put("topology", options.params().topology());
        ObjectNode workload = root.putObject("workload");
        if (verdict != null) {
            workload.put("valid", verdict.validity().name().toLowerCase());
            workload.setAll(verdict.details());
            verdict.findings().forEach(workload.putArray("findings")::add);
        }
        root.putObject("availability").put("valid", availabilityValid).put("ok-fraction", okFraction);
        root.putObject("ops").put("invoked", opCount).put("ok", okCount).put("fail", failCount).put("info", infoCount);
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
            ObjectNode ev = nem.addObject().put("time-ms", e.atNanos() / 1_000_000).put("f", e.f());
            if (e.shape() != null) {
                ev.put("shape", e.shape());
                ev.set("grudge", Json.MAPPER.valueToTree(e.grudge()));
            }
        }
        root.putObject("bench").put("cpu-seconds", benchCpuSeconds).put("messages-routed", routed)
                .put("cpu-seconds-per-1000-messages", benchCpuPer1000()).put("max-delivery-lag-ms", maxLagMillis)
                .put("nodes-cpu-seconds", nodesCpuSeconds);
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
        out.printf("  ops        %d invoked: %d ok, %d fail, %d info; ok fraction %.4f%s%n", opCount, okCount,
                failCount, infoCount, okFraction,
                options.load().availability() == null ? "" : " (required " + options.load().availability() + ": "
                        + (availabilityValid ? "met" : "NOT met") + ")");
        out.printf("  net        all %d msgs (%.2f/op), clients %d, servers %d (%.2f/op)%n", net.all().msgCount(),
                allMsgsPerOp(), net.clients().msgCount(), net.servers().msgCount(), serversMsgsPerOp());
        latencies.forEach((f, l) -> out.printf("  latency    %-22s %6d ok, ms: median %.1f, 0.95 %.1f, 0.99 %.1f, max %.1f%n",
                f, l.count(), l.p50(), l.p95(), l.p99(), l.max()));
        long partitions = nemesis.stream().filter(e -> e.shape() != null).count();
        if (partitions > 0) {
            out.printf("  nemesis    %d partitions: %s%n", partitions,
                    String.join(", ", nemesis.stream().filter(e -> e.shape() != null).map(NemesisEvent::shape).toList()));
        }
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
                + "deliveries at most %.1f ms late%n", benchCpuSeconds, routed, benchCpuPer1000(), nodesCpuSeconds, maxLagMillis);
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
