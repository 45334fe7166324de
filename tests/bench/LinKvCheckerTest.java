package tests.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bench.Json;
import bench.Op;
import bench.report.Verdict;
import bench.workload.linkv.LinearizabilityChecker;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The lin-kv linearizability checker on hand-made histories: legal ones pass, illegal
 * ones fail naming the key and the operation no order reaches, indeterminate operations
 * may take effect late or never, failed ones never.
 */
class LinKvCheckerTest {

    /** Builds one history; times are given in milliseconds. */
    private static final class History {
        final List<Op> ops = new ArrayList<>();

        History op(int process, ObjectNode request, Op.Type type, ObjectNode reply, double from, double to) {
            ops.add(new Op(process, "c" + process, "n0", Json.type(request), request, reply, type,
                    (long) (from * 1e6), (long) (to * 1e6), false));
            return this;
        }

        History write(int process, long key, long value, Op.Type type, double from, double to) {
            return op(process, Json.body("write").put("key", key).put("value", value), type,
                    type == Op.Type.OK ? Json.body("write_ok") : null, from, to);
        }

        History cas(int process, long key, long from, long to, Op.Type type, double start, double end) {
            return op(process, Json.body("cas").put("key", key).put("from", from).put("to", to), type,
                    type == Op.Type.OK ? Json.body("cas_ok") : null, start, end);
        }

        /** An ok read that returned {@code value}, null for a key that did not exist. */
        History read(int process, long key, Long value, double from, double to) {
            ObjectNode reply = Json.body("read_ok");
            if (value == null) reply.putNull("value");
            else reply.put("value", value);
            return op(process, Json.body("read").put("key", key), Op.Type.OK, reply, from, to);
        }

        Verdict check() {
            ops.sort(Comparator.comparingLong(Op::invokedAt));
            return new LinearizabilityChecker().check(ops);
        }
    }

    private static final Op.Type OK = Op.Type.OK;
    private static final Op.Type INFO = Op.Type.INFO;
    private static final Op.Type FAIL = Op.Type.FAIL;

    private static void valid(Verdict v) {
        assertEquals(Verdict.Validity.VALID, v.validity(), v.findings().toString());
    }

    /** Asserts one finding, on {@code key}, stuck at an operation of {@code process}; returns it. */
    private static String invalid(Verdict v, long key, int process) {
        assertEquals(Verdict.Validity.INVALID, v.validity());
        assertEquals(1, v.findings().size(), v.findings().toString());
        String finding = v.findings().getFirst();
        assertTrue(finding.startsWith("key " + key + ": not linearizable"), finding);
        assertTrue(finding.contains("completion of [process " + process + " "), finding);
        return finding;
    }

    @Test
    void sequentialHistoryPasses() {
        valid(new History().read(0, 1, null, 0, 1).write(1, 1, 3, OK, 2, 3).read(0, 1, 3L, 4, 5)
                .cas(1, 1, 3, 4, OK, 6, 7).read(0, 1, 4L, 8, 9).check());
    }

    @Test
    void staleReadFails() {
        Verdict v = new History().write(1, 1, 1, OK, 0, 1).write(1, 1, 2, OK, 2, 3).read(0, 1, 1L, 4, 5).check();
        String finding = invalid(v, 1, 0);
        assertTrue(finding.contains("could only hold [2]"), finding);
        assertTrue(finding.contains("0 operations concurrent"), finding);
    }

    @Test
    void concurrentWriteMayBeSeenEitherWayButNotBack() {
        // w(1) spans both reads: 0 then 1 is legal, 1 then 0 is not.
        valid(new History().write(1, 1, 0, OK, 0, 1).write(2, 1, 1, OK, 2, 10)
                .read(0, 1, 0L, 3, 4).read(0, 1, 1L, 5, 6).check());
        Verdict v = new History().write(1, 1, 0, OK, 0, 1).write(2, 1, 1, OK, 2, 10)
                .read(0, 1, 1L, 3, 4).read(3, 1, 0L, 5, 6).check();
        String finding = invalid(v, 1, 3);
        assertTrue(finding.contains("1 operations concurrent"), "the concurrent write, not the finished read: " + finding);
    }

    @Test
    void readOfAKeyNobodyWroteFails() {
        invalid(new History().read(0, 1, 2L, 0, 1).check(), 1, 0);
    }

    @Test
    void casNeedsItsFromValueAndAnExistingKey() {
        valid(new History().write(1, 1, 0, OK, 0, 1).cas(1, 1, 0, 3, OK, 2, 3).read(0, 1, 3L, 4, 5).check());
        invalid(new History().write(1, 1, 2, OK, 0, 1).cas(1, 1, 0, 3, OK, 2, 3).check(), 1, 1);
        invalid(new History().cas(1, 1, 0, 3, OK, 2, 3).check(), 1, 1);
    }

    @Test
    void indeterminateWriteMayTakeEffectLongAfterItsTimeout() {
        valid(new History().write(1, 1, 0, OK, 0, 1).write(2, 1, 4, INFO, 2, 3)
                .read(0, 1, 0L, 50, 51).read(0, 1, 4L, 100, 101).check());
    }

    @Test
    void indeterminateWriteMayNeverTakeEffect() {
        valid(new History().write(1, 1, 0, OK, 0, 1).write(2, 1, 4, INFO, 2, 3).read(0, 1, 0L, 100, 101).check());
    }

    @Test
    void indeterminateWriteTakesEffectAtMostOnce() {
        Verdict v = new History().write(1, 1, 0, OK, 0, 1).write(2, 1, 4, INFO, 2, 3)
                .read(0, 1, 4L, 4, 5).write(1, 1, 0, OK, 6, 7).read(0, 1, 4L, 8, 9).check();
        invalid(v, 1, 0);
    }

    @Test
    void indeterminateWriteCannotTakeEffectBeforeItsInvocation() {
        invalid(new History().write(1, 1, 0, OK, 0, 1).read(0, 1, 4L, 2, 3).write(2, 1, 4, INFO, 4, 5).check(), 1, 0);
    }

    @Test
    void failedWriteNeverTakesEffect() {
        invalid(new History().write(1, 1, 0, OK, 0, 1).write(2, 1, 4, FAIL, 2, 3).read(0, 1, 4L, 4, 5).check(), 1, 0);
    }

    @Test
    void manyIndeterminateOpsOfTheSameEffectStayCheap() {
        // Forty timed-out writes of two values: without treating equal ones as one, their
        // subsets alone would be 2^40 configurations.
        var history = new History().write(1, 1, 0, OK, 0, 1);
        for (int i = 0; i < 40; i++) history.write(10 + i, 1, i % 2 + 1, INFO, 2 + i, 3 + i);
        history.read(0, 1, 0L, 99, 100);
        for (int i = 0; i < 39; i++) history.read(0, 1, (long) (i % 2 + 1), 100 + 2 * i, 101 + 2 * i);
        Verdict v = history.check();
        valid(v);
        assertTrue(v.details().get("configurations").asLong() < 100_000, v.details().toString());
    }

    @Test
    void keysAreCheckedApartAndOnlyTheBadOneIsNamed() {
        Verdict v = new History().write(1, 1, 1, OK, 0, 1).write(2, 2, 1, OK, 0, 1).read(0, 1, 1L, 2, 3)
                .write(2, 2, 2, OK, 2, 3).read(3, 2, 1L, 4, 5).check();
        invalid(v, 2, 3);
        assertEquals(2, v.details().get("keys").asInt());
    }

    @Test
    void aSearchOverItsBudgetIsUndecided() {
        var history = new History();
        for (int i = 0; i < 12; i++) history.write(i, 1, i, INFO, i, i + 1);
        history.read(20, 1, 11L, 100, 101); // the search takes the writes in order until 11
        Verdict v = new LinearizabilityChecker(5).check(history.ops);
        assertEquals(Verdict.Validity.UNKNOWN, v.validity(), v.findings().toString());
        assertTrue(v.findings().getFirst().startsWith("key 1: undecided"), v.findings().toString());
    }

    /**
     * A long history from a register that is linearizable by construction: each operation
     * takes effect at a random point of its interval, ten at a time overlapping, fourteen
     * timing out (taking effect or not: as many as Jepsen's process limit lets six threads
     * have on one key). It must pass; and with one read changed afterwards to a value the
     * register never held, fail there, as fast.
     */
    @Test
    void longRandomLinearizableHistoryPassesAndOneBadReadFails() {
        Random random = new Random(7);
        int n = 6000;
        int threads = 10;
        record Planned(int process, ObjectNode request, Op.Type type, long from, long to, long at) {}
        List<Planned> planned = new ArrayList<>();
        long[] free = new long[threads];
        int timeouts = 0;
        for (int i = 0; i < n; i++) {
            int thread = i % threads;
            long from = free[thread] + random.nextInt(1_000_000);
            long to = from + 1 + random.nextInt(5_000_000);
            free[thread] = to;
            int kind = random.nextInt(3);
            ObjectNode request = kind == 0 ? Json.body("read").put("key", 0)
                    : kind == 1 ? Json.body("write").put("key", 0).put("value", random.nextInt(5))
                    : Json.body("cas").put("key", 0).put("from", random.nextInt(5)).put("to", random.nextInt(5));
            boolean timeout = kind != 0 && random.nextInt(n / 20) == 0 && timeouts++ < 14;
            long at = timeout && random.nextBoolean() ? Long.MAX_VALUE : from + (long) (random.nextDouble() * (to - from));
            planned.add(new Planned(thread, request, timeout ? INFO : OK, from, to, at));
        }
        // Apply in effect order to learn each reply.
        List<Planned> byEffect = new ArrayList<>(planned);
        byEffect.sort(Comparator.comparingLong(Planned::at));
        Long state = null;
        java.util.Map<Planned, ObjectNode> replies = new java.util.IdentityHashMap<>();
        for (Planned p : byEffect) {
            if (p.at() == Long.MAX_VALUE) continue;
            ObjectNode r = p.request();
            switch (Json.type(r)) {
                case "read" -> replies.put(p, state == null ? null : Json.body("read_ok").put("value", state));
                case "write" -> {
                    state = r.get("value").asLong();
                    replies.put(p, Json.body("write_ok"));
                }
                default -> {
                    boolean applies = state != null && state == r.get("from").asLong();
                    if (applies) state = r.get("to").asLong();
                    replies.put(p, applies ? Json.body("cas_ok") : null);
                }
            }
        }
        List<Op> ops = new ArrayList<>();
        int badAt = -1;
        for (Planned p : planned) {
            ObjectNode reply = replies.get(p);
            boolean ok = p.type() == OK && reply != null;
            // A read of a missing key or a cas that did not apply failed: the node answered an error.
            Op.Type type = p.type() == INFO ? INFO : ok ? OK : FAIL;
            if (badAt < 0 && ops.size() > n / 2 && Json.type(p.request()).equals("read") && ok) {
                badAt = ops.size();
            }
            ops.add(new Op(p.process(), "c" + p.process(), "n0", Json.type(p.request()), p.request(),
                    type == INFO ? null : reply, type, p.from(), p.to(), false));
        }
        Verdict v = new LinearizabilityChecker().check(ops);
        valid(v);
        // Well under a second here; the margin is for a loaded machine.
        assertTrue(v.details().get("checker_ms").asLong() < 30_000, v.details().toString());

        Op good = ops.get(badAt);
        ops.set(badAt, new Op(good.process(), good.client(), good.node(), good.f(), good.request(),
                Json.body("read_ok").put("value", 99), OK, good.invokedAt(), good.completedAt(), false));
        Verdict bad = new LinearizabilityChecker().check(ops);
        String finding = invalid(bad, 0, good.process());
        assertTrue(finding.contains("%.3f s".formatted(good.invokedAt() / 1e9)), "names the changed read: " + finding);
    }
}
