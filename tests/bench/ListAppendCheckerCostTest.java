package tests.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import bench.Json;
import bench.Op;
import bench.report.Verdict;
import bench.workload.txn.TxnWorkload;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What the txn-list-append checker costs on a 30 s history at Maelstrom's rates, printed,
 * not asserted (timings on a shared box are noise): synthetic histories of the workload's
 * own transactions, run by a strictly serializable store, with ten client processes; and
 * the same with some stale reads, which makes the checker search cycles. Each must still
 * get the right verdict.
 */
class ListAppendCheckerCostTest {

    static final int SECONDS = 30;
    static final int PROCESSES = 10;

    /** One transaction of the synthetic history: its request, and when it is invoked, takes effect and completes. */
    private record Planned(int process, ObjectNode request, long invoked, long effective, long completed) {
    }

    /**
     * {@code rate} transactions a second for 30 s, each taking effect at a random moment
     * between its invocation and completion (so the history is strictly serializable), a
     * read-only one among every {@code staleEvery} answered from the state 50 ms older
     * (0 for none).
     */
    static List<Op> history(int rate, int staleEvery, long seed) {
        var workload = TxnWorkload.listAppend(4, null, 16, List.of("strict-serializable"));
        var random = new Random(seed);
        long gap = 1_000_000_000L / rate;
        long slot = gap * PROCESSES; // each process invokes once per slot, so its operations never overlap
        var planned = new ArrayList<Planned>();
        for (int i = 0; i < rate * SECONDS; i++) {
            long invoked = i * gap;
            long latency = 1 + random.nextLong(slot / 2);
            planned.add(new Planned(i % PROCESSES, workload.next(i % PROCESSES, random), invoked,
                    invoked + random.nextLong(latency), invoked + latency));
        }
        var byEffect = new ArrayList<>(planned);
        byEffect.sort(Comparator.comparingLong(Planned::effective));
        var lists = new HashMap<Long, List<Long>>();
        var past = new HashMap<Long, Map<Long, List<Long>>>(); // the state at each 10 ms of effect time, the last 100 ms
        long slots = 0;
        var replies = new HashMap<Planned, ObjectNode>();
        int staleCount = 0;
        for (Planned p : byEffect) {
            for (; slots <= p.effective() / 10_000_000; slots++) {
                past.put(slots, new HashMap<>(lists));
                past.remove(slots - 10);
            }
            boolean readOnly = true;
            for (JsonNode mop : p.request().get("txn")) readOnly &= mop.get(0).asText().equals("r");
            Map<Long, List<Long>> state = lists;
            if (readOnly && staleEvery > 0 && ++staleCount % staleEvery == 0) {
                state = past.getOrDefault(p.effective() / 10_000_000 - 5, Map.of());
            }
            ObjectNode reply = Json.object().put("type", "txn_ok");
            ArrayNode done = reply.putArray("txn");
            for (JsonNode mop : p.request().get("txn")) {
                long key = mop.get(1).asLong();
                if (mop.get(0).asText().equals("append")) {
                    var longer = new ArrayList<>(lists.getOrDefault(key, List.of()));
                    longer.add(mop.get(2).asLong());
                    lists.put(key, List.copyOf(longer));
                    done.add(mop.deepCopy());
                } else {
                    ArrayNode read = done.addArray().add("r").add(key);
                    List<Long> list = state.get(key);
                    if (list == null) read.addNull();
                    else list.forEach(read.addArray()::add);
                }
            }
            replies.put(p, reply);
        }
        var ops = new ArrayList<Op>();
        for (Planned p : planned) {
            ops.add(new Op(p.process(), "c" + p.process(), "n0", "txn", p.request(), replies.get(p), Op.Type.OK,
                    p.invoked(), p.completed(), false));
        }
        return ops;
    }

    private static void measure(String what, List<Op> history, Verdict.Validity expected) {
        var checker = TxnWorkload.listAppend(4, null, 16, List.of("strict-serializable"));
        long start = System.nanoTime();
        Verdict v = checker.check(history);
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("list-append checker, %s: %d txns checked in %d ms, %s %s%n", what, history.size(), millis,
                v.validity(), v.details().path("anomaly_types"));
        assertEquals(expected, v.validity(), () -> v.findings().stream().limit(3).toList().toString());
    }

    @Test
    void validThirtySecondHistoriesAtRates100And1000() {
        measure("warm-up, rate 100", history(100, 0, 1), Verdict.Validity.VALID);
        measure("rate 100, 30 s", history(100, 0, 2), Verdict.Validity.VALID);
        measure("rate 1000, 30 s", history(1000, 0, 3), Verdict.Validity.VALID);
    }

    @Test
    void staleReadsMakeTheCheckerSearchCycles() {
        measure("rate 100, 30 s, every 20th read-only txn stale", history(100, 20, 4), Verdict.Validity.INVALID);
        measure("rate 1000, 30 s, every 20th read-only txn stale", history(1000, 20, 5), Verdict.Validity.INVALID);
    }
}
