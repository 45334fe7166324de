package tests.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bench.Json;
import bench.Op;
import bench.Options;
import bench.cli.TestCommand;
import bench.report.Verdict;
import bench.service.Services;
import bench.workload.broadcast.BroadcastWorkload;
import bench.workload.echo.EchoWorkload;
import bench.workload.Workload;
import bench.workload.gcounter.GCounterWorkload;
import bench.workload.gset.GSetWorkload;
import bench.workload.pncounter.PnCounterWorkload;
import bench.workload.uniqueids.UniqueIdsWorkload;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Each checker on small hand-made histories: what it accepts and what it must reject. */
class CheckersTest {

    static final Options OPTIONS = TestCommand.parse("-w", "broadcast", "--bin", "/bin/true", "--node-count", "3",
            "--time-limit", "1", "--rate", "10", "--quiet-period", "0", "--seed", "1");

    /** A history built op by op; times in milliseconds. */
    static final class History {
        final List<Op> ops = new ArrayList<>();

        History op(String f, ObjectNode request, ObjectNode reply, Op.Type type, long from, long to, boolean isFinal) {
            request.put("type", f);
            ops.add(new Op(ops.size(), "c" + ops.size(), "n0", f, request, reply, type, from * 1_000_000, to * 1_000_000, isFinal));
            return this;
        }

        History ok(String f, ObjectNode request, ObjectNode reply, long from, long to) {
            return op(f, request, reply.put("type", f + "_ok"), Op.Type.OK, from, to, false);
        }
    }

    static ObjectNode o() {
        return Json.object();
    }

    /** A reply holding {@code values} in its array {@code field}. */
    static ObjectNode listing(String field, long... values) {
        ObjectNode r = o();
        var array = r.putArray(field);
        for (long v : values) {
            array.add(v);
        }
        return r;
    }

    static ObjectNode messages(long... values) {
        return listing("messages", values);
    }

    @Test
    void echoAcceptsExactEchoesOnly() {
        var echo = new EchoWorkload(OPTIONS);
        var good = new History().ok("echo", o().put("echo", "a"), o().put("echo", "a"), 0, 1);
        assertEquals(Verdict.Validity.VALID, echo.check(good.ops).validity());
        var altered = new History().ok("echo", o().put("echo", "a"), o().put("echo", "b"), 0, 1);
        Verdict v = echo.check(altered.ops);
        assertEquals(Verdict.Validity.INVALID, v.validity());
        assertTrue(v.findings().getFirst().contains("\"b\""), v.findings().toString());
    }

    /**
     * Maelstrom's echo checker pairs each invocation with its ok or fail completion
     * (knossos's pair-index) and maps an info to nothing: an echo whose outcome is unknown
     * is not judged, one that failed definitely is wrong.
     */
    @Test
    void echoJudgesOnlyTheEchoesThatCompleted() {
        var echo = new EchoWorkload(OPTIONS);
        var timedOut = new History().ok("echo", o().put("echo", "a"), o().put("echo", "a"), 0, 1)
                .op("echo", o().put("echo", "b"), null, Op.Type.INFO, 2, 5002, false)
                .op("echo", o().put("echo", "c"), o().put("type", "error").put("code", 13), Op.Type.INFO, 3, 4, false)
                .op("echo", o().put("echo", "d"), o().put("type", "echo_ok"), Op.Type.OK, 5, 6, false);
        Verdict v = echo.check(timedOut.ops);
        assertEquals(Verdict.Validity.VALID, v.validity(), "timed out, crashed and malformed echoes are unknown: " + v);
        assertEquals(3, v.details().get("unknown").asInt());

        var wrongAmongTimeouts = new History().op("echo", o().put("echo", "a"), null, Op.Type.INFO, 0, 5000, false)
                .ok("echo", o().put("echo", "b"), o().put("echo", "b!"), 1, 2);
        assertEquals(Verdict.Validity.INVALID, echo.check(wrongAmongTimeouts.ops).validity());

        var failed = new History().op("echo", o().put("echo", "a"), o().put("type", "error").put("code", 11),
                Op.Type.FAIL, 0, 1, false);
        assertEquals(Verdict.Validity.INVALID, echo.check(failed.ops).validity(), "a definite failure is no echo");
    }

    @Test
    void uniqueIdsRejectsRepeatsAndCannotCompareMixedIds() {
        var ids = new UniqueIdsWorkload(OPTIONS);
        var fine = new History().ok("generate", o(), o().put("id", 1), 0, 1).ok("generate", o(), o().put("id", 2), 0, 1);
        Verdict valid = ids.check(fine.ops);
        assertEquals(Verdict.Validity.VALID, valid.validity());
        assertEquals("[1,2]", valid.details().get("range").toString());
        var repeat = new History().ok("generate", o(), o().put("id", "x"), 0, 1).ok("generate", o(), o().put("id", "x"), 2, 3);
        Verdict dup = ids.check(repeat.ops);
        assertEquals(Verdict.Validity.INVALID, dup.validity());
        assertEquals(1, dup.details().get("duplicated-count").asInt());
        assertTrue(dup.findings().getFirst().contains("\"x\" handed out 2 times"), dup.findings().toString());
        var mixed = new History().ok("generate", o(), o().put("id", 1), 0, 1).ok("generate", o(), o().put("id", "1"), 0, 1);
        assertEquals(Verdict.Validity.UNKNOWN, ids.check(mixed.ops).validity());
    }

    @Test
    void broadcastValueSeenAfterAMissIsStableWithItsLatency() {
        var h = new History()
                .ok("broadcast", o().put("message", 1), o(), 0, 10)
                .ok("read", o(), messages(), 20, 30)
                .ok("read", o(), messages(1), 40, 50);
        Verdict v = new BroadcastWorkload(OPTIONS).check(h.ops);
        assertEquals(Verdict.Validity.VALID, v.validity());
        assertEquals(1, v.details().get("stable-count").asInt());
        assertEquals(1, v.details().get("stale-count").asInt());
        assertEquals(10, v.details().at("/stable-latencies/0.5").asLong(), v.details().toString());
    }

    @Test
    void broadcastValueMissingFromTheLastReadIsLost() {
        var h = new History()
                .ok("broadcast", o().put("message", 1), o(), 0, 10)
                .ok("broadcast", o().put("message", 2), o(), 0, 10)
                .ok("read", o(), messages(1, 2), 20, 30)
                .op("read", o(), messages(2).put("type", "read_ok"), Op.Type.OK, 40, 50, true);
        Verdict v = new BroadcastWorkload(OPTIONS).check(h.ops);
        assertEquals(Verdict.Validity.INVALID, v.validity());
        assertEquals("[1]", v.details().get("lost").toString());
        assertTrue(v.findings().getFirst().startsWith("value 1 lost"), v.findings().toString());
    }

    @Test
    void broadcastReadConcurrentWithItsBroadcastDoesNotLoseIt() {
        var h = new History()
                .ok("broadcast", o().put("message", 1), o(), 0, 30)
                .ok("read", o(), messages(), 10, 20);
        Verdict v = new BroadcastWorkload(OPTIONS).check(h.ops);
        assertEquals(1, v.details().get("never-read-count").asInt(), v.details().toString());
        assertEquals(Verdict.Validity.UNKNOWN, v.validity(), "nothing stable: Jepsen says unknown");
    }

    @Test
    void broadcastGeneratorMixesBroadcastsOfFreshValuesAndReads() {
        var w = new BroadcastWorkload(OPTIONS);
        var random = new Random(5);
        long broadcasts = 0, expected = 0;
        for (int i = 0; i < 1000; i++) {
            ObjectNode body = w.next(i % 3, random);
            if (body.get("type").asText().equals("broadcast")) {
                assertEquals(expected++, body.get("message").asLong());
                broadcasts++;
            }
        }
        assertTrue(broadcasts > 400 && broadcasts < 600, "about half: " + broadcasts);
        assertEquals("topology", w.setup("n0", List.of("n0", "n1")).get("type").asText());
        assertEquals("read", w.nextFinal(0, random).get("type").asText());
        assertEquals(null, w.nextFinal(3, random), "one final read per thread, even after a new process");
    }

    @Test
    void gCounterFinalReadsMustBeTheAcknowledgedSumPlusSomeUnknownAdds() {
        var h = new History()
                .ok("add", o().put("delta", 3), o(), 0, 1)
                .ok("add", o().put("delta", 4), o(), 0, 1)
                .op("add", o().put("delta", 2), null, Op.Type.INFO, 0, 5000, false)
                .op("add", o().put("delta", 1), Services.error(11, "unavailable"), Op.Type.FAIL, 0, 1, false);
        for (long value : new long[] {7, 8, 9, 10}) {
            var read = new History();
            read.ops.addAll(h.ops);
            read.op("read", o(), o().put("type", "read_ok").put("value", value), Op.Type.OK, 6000, 6001, true);
            Verdict v = new GCounterWorkload(OPTIONS).check(read.ops);
            assertEquals(Verdict.Validity.VALID, v.validity(), value + " " + v.details());
        }
        for (long value : new long[] {6, 11, 0}) {
            var read = new History();
            read.ops.addAll(h.ops);
            read.op("read", o(), o().put("type", "read_ok").put("value", value), Op.Type.OK, 6000, 6001, true);
            Verdict v = new GCounterWorkload(OPTIONS).check(read.ops);
            assertEquals(Verdict.Validity.INVALID, v.validity(), value + " " + v.details());
            assertTrue(v.findings().getFirst().contains("returned " + value), v.findings().toString());
        }
    }

    @Test
    void gCounterAcceptableValuesAreSubsetSumsNotARange() {
        var h = new History()
                .ok("add", o().put("delta", 1), o(), 0, 1)
                .op("add", o().put("delta", 3), null, Op.Type.INFO, 0, 5000, false)
                .op("read", o(), o().put("type", "read_ok").put("value", 2), Op.Type.OK, 6000, 6001, true);
        Verdict v = new GCounterWorkload(OPTIONS).check(h.ops);
        assertEquals(Verdict.Validity.INVALID, v.validity());
        assertEquals("[[1,1],[4,4]]", v.details().get("acceptable").toString());
    }

    @Test
    void gCounterGeneratorAddsZeroToFourTwiceLessOftenThanItReads() {
        List<Long> deltas = field(adds(new GCounterWorkload(OPTIONS), 3000, 9), "delta");
        assertTrue(deltas.size() > 850 && deltas.size() < 1150, "a third adds: " + deltas.size());
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), List.copyOf(new TreeSet<>(deltas)));
    }

    static ObjectNode value(long... values) {
        return listing("value", values).put("type", "read_ok");
    }

    @Test
    void gSetIsSetFullOnAddsAndReadValues() {
        var stable = new History()
                .ok("add", o().put("element", 1), o(), 0, 10)
                .ok("read", o(), value(), 20, 30)
                .op("read", o(), value(1), Op.Type.OK, 40, 50, true);
        Verdict v = new GSetWorkload(OPTIONS).check(stable.ops);
        assertEquals(Verdict.Validity.VALID, v.validity(), v.details().toString());
        assertEquals(10, v.details().at("/stable-latencies/0.5").asLong(), v.details().toString());
        var lost = new History()
                .ok("add", o().put("element", 1), o(), 0, 10)
                .ok("read", o(), value(1), 20, 30)
                .op("read", o(), value(), Op.Type.OK, 40, 50, true);
        Verdict l = new GSetWorkload(OPTIONS).check(lost.ops);
        assertEquals(Verdict.Validity.INVALID, l.validity());
        assertTrue(l.findings().getFirst().startsWith("value 1 lost: acknowledged"), l.findings().toString());
    }

    @Test
    void gSetGeneratorAddsFreshElementsHalfTheTime() {
        var w = new GSetWorkload(OPTIONS);
        List<Long> elements = field(adds(w, 1000, 3), "element");
        assertTrue(elements.size() > 400 && elements.size() < 600, "about half: " + elements.size());
        for (int i = 0; i < elements.size(); i++) {
            assertEquals(i, elements.get(i));
        }
        assertEquals("read", w.nextFinal(1, new Random(3)).get("type").asText());
    }

    /** A history of adds (each delta ok when {@code ok}) ending with one final read of {@code read}. */
    static List<Op> counterHistory(long read, long[] deltas, boolean[] ok) {
        var h = new History();
        for (int i = 0; i < deltas.length; i++) {
            if (ok[i]) {
                h.ok("add", o().put("delta", deltas[i]), o(), 0, 1);
            } else {
                h.op("add", o().put("delta", deltas[i]), null, Op.Type.INFO, 0, 5000, false);
            }
        }
        return h.op("read", o(), o().put("type", "read_ok").put("value", read), Op.Type.OK, 6000, 6001, true).ops;
    }

    @Test
    void pnCounterFinalReadsMayTakeAnySubsetOfTheUnknownAddsNegativeOnesToo() {
        long[] deltas = {5, -3, -4, 10};
        boolean[] ok = {true, true, false, false};
        var acceptable = new PnCounterWorkload(OPTIONS).check(counterHistory(2, deltas, ok));
        assertEquals("[[-2,-2],[2,2],[8,8],[12,12]]", acceptable.details().get("acceptable").toString(),
                "2, plus nothing, -4, both or 10");
        for (long read : new long[] {-2, 2, 8, 12}) {
            assertEquals(Verdict.Validity.VALID, new PnCounterWorkload(OPTIONS).check(counterHistory(read, deltas, ok))
                    .validity(), "read " + read);
        }
        for (long read : new long[] {-3, 0, 1, 3, 6, 11, 13, 16}) {
            Verdict v = new PnCounterWorkload(OPTIONS).check(counterHistory(read, deltas, ok));
            assertEquals(Verdict.Validity.INVALID, v.validity(), "read " + read);
            assertTrue(v.findings().getFirst().contains("returned " + read), v.findings().toString());
        }
    }

    @Test
    void pnCounterRangesMergeWhereSumsMeet() {
        long[] deltas = {-1, -1, 2, 1};
        boolean[] ok = {false, false, false, true};
        Verdict v = new PnCounterWorkload(OPTIONS).check(counterHistory(0, deltas, ok));
        assertEquals("[[-1,3]]", v.details().get("acceptable").toString(), v.details().toString());
    }

    @Test
    void pnCounterGeneratorAddsMinusFiveToFourHalfTheTime() {
        List<Long> deltas = field(adds(new PnCounterWorkload(OPTIONS), 2000, 4), "delta");
        assertTrue(deltas.size() > 900 && deltas.size() < 1100, "half: " + deltas.size());
        assertEquals(List.of(-5L, -4L, -3L, -2L, -1L, 0L, 1L, 2L, 3L, 4L), List.copyOf(new TreeSet<>(deltas)));
    }

    /** The adds among {@code requests} requests of {@code w}'s generator, seeded with {@code seed}. */
    static List<ObjectNode> adds(Workload w, int requests, long seed) {
        var random = new Random(seed);
        var adds = new ArrayList<ObjectNode>();
        for (int i = 0; i < requests; i++) {
            ObjectNode body = w.next(i % 3, random);
            if (body.get("type").asText().equals("add")) {
                adds.add(body);
            }
        }
        return adds;
    }

    static List<Long> field(List<ObjectNode> bodies, String name) {
        return bodies.stream().map(b -> b.get(name).asLong()).toList();
    }
}
