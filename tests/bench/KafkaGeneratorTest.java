package tests.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bench.Op;
import bench.report.Verdict;
import bench.workload.kafka.KafkaWorkload;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The kafka generator driven against an in-memory log standing in for a node: it speaks
 * Maelstrom's requests, follows each poll with its commit, assigns now and then, crashes
 * clients as Jepsen does, its final phase catches up with every key, and the checker
 * passes the history of a correct log.
 */
class KafkaGeneratorTest {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** A correct single log per key, answering the workload's requests. */
    private static class Log {
        final Map<String, List<Long>> logs = new HashMap<>();
        final Map<String, Long> committed = new HashMap<>();

        ObjectNode answer(ObjectNode req) {
            ObjectNode rep = JSON.objectNode();
            switch (req.get("type").asText()) {
                case "send" -> {
                    List<Long> log = logs.computeIfAbsent(req.get("key").asText(), k -> new ArrayList<>());
                    log.add(req.get("msg").asLong());
                    rep.put("type", "send_ok").put("offset", log.size() - 1);
                }
                case "poll" -> {
                    rep.put("type", "poll_ok");
                    ObjectNode msgs = rep.putObject("msgs");
                    req.get("offsets").properties().forEach(e -> {
                        List<Long> log = logs.getOrDefault(e.getKey(), List.of());
                        var pairs = msgs.putArray(e.getKey());
                        for (int o = (int) e.getValue().asLong(); o < log.size() && o < e.getValue().asLong() + 3; o++) {
                            pairs.addArray().add(o).add(log.get(o));
                        }
                    });
                }
                case "commit_offsets" -> {
                    req.get("offsets").properties().forEach(e -> committed.merge(e.getKey(), e.getValue().asLong(), Math::max));
                    rep.put("type", "commit_offsets_ok");
                }
                case "list_committed_offsets" -> {
                    rep.put("type", "list_committed_offsets_ok");
                    ObjectNode offsets = rep.putObject("offsets");
                    req.get("keys").forEach(k -> {
                        if (committed.containsKey(k.asText())) offsets.put(k.asText(), committed.get(k.asText()));
                    });
                }
                default -> throw new AssertionError("unexpected request " + req);
            }
            return rep;
        }
    }

    /**
     * Plays one Maelstrom operation as the bench does: the request, then each continuation
     * the workload asks for, every one answered by {@code log} and recorded; returns the
     * time after it.
     */
    private static long perform(KafkaWorkload workload, Log log, List<Op> history, int process, ObjectNode req,
                                long t, boolean isFinal) {
        for (ObjectNode next = req; next != null; t += 2) {
            Op op = new Op(process, "c" + process, "n0", next.get("type").asText(), next, log.answer(next), Op.Type.OK,
                    t, t + 1, isFinal);
            history.add(op);
            workload.completed(op);
            next = workload.continuation(op);
        }
        return t;
    }

    @Test
    void drivesAConsumerAsMaelstromsClientDoesAndPassesACorrectLog() {
        var workload = new KafkaWorkload(null, 16, 4, Duration.ZERO, Duration.ofSeconds(10));
        var log = new Log();
        var random = new Random(3);
        var history = new ArrayList<Op>();
        var types = new HashMap<String, Integer>();
        var keys = new HashSet<String>();
        long t = 0;
        for (int i = 0; i < 4000; i++) {
            int process = i % 4;
            ObjectNode req = workload.next(process, random);
            String type = req.get("type").asText();
            assertNotEquals("commit_offsets", type, "a commit only continues its poll");
            if (type.equals("send")) {
                keys.add(req.get("key").asText());
                assertTrue(req.get("msg").isIntegralNumber(), req.toString());
            }
            t = perform(workload, log, history, process, req, t, false);
        }
        for (int i = 0; i < history.size(); i++) {
            Op op = history.get(i);
            types.merge(op.f(), 1, Integer::sum);
            // A poll that returned messages goes on with the commit of their highest offsets.
            boolean polledSome = op.f().equals("poll")
                    && op.reply().get("msgs").properties().stream().anyMatch(e -> !e.getValue().isEmpty());
            Op after = i + 1 < history.size() ? history.get(i + 1) : null;
            assertEquals(polledSome, after != null && after.f().equals("commit_offsets"), "after " + op);
        }
        for (String type : List.of("send", "poll", "commit_offsets", "list_committed_offsets")) {
            assertTrue(types.getOrDefault(type, 0) > 10, type + " in " + types);
        }
        assertTrue(keys.size() > 30, "the key set grows: " + keys.size());

        // The final phase: each process polls from 0 until it has seen every key's last message.
        Set<String> seenInFinal = new HashSet<>();
        for (int process = 0; process < 4; process++) {
            int polls = 0;
            ObjectNode req;
            while ((req = workload.nextFinal(process, random)) != null) {
                int first = history.size();
                t = perform(workload, log, history, process, req, t, true);
                if (req.get("type").asText().equals("poll")) {
                    polls++;
                    history.get(first).reply().get("msgs").properties().forEach(e -> {
                        if (!e.getValue().isEmpty()) seenInFinal.add(e.getKey());
                    });
                }
                assertTrue(polls < 100, "the final phase ends once caught up");
            }
            assertNull(workload.nextFinal(process, random));
        }
        assertEquals(log.logs.keySet(), seenInFinal);

        Verdict v = workload.check(history);
        assertTrue(v.valid(), v.findings().toString());
        assertFalse(v.details().get("worst_realtime_lag").isEmpty());
    }

    @Test
    void crashesAClientNowAndThenNeverBetweenAPollAndItsCommitAndEveryThreadAtTheFinalPhase() {
        // A crash every 0..2 x 10 ms over the 4 threads, for 300 ms.
        var workload = new KafkaWorkload(null, 16, 4, Duration.ofMillis(40), Duration.ofSeconds(10));
        var log = new Log();
        var random = new Random(7);
        var history = new ArrayList<Op>();
        int[] processes = {0, 1, 2, 3};
        Set<Integer> fresh = new HashSet<>();
        long t = 0;
        int crashes = 0;
        long end = System.nanoTime() + 300_000_000L;
        for (int i = 0; System.nanoTime() < end; i++) {
            int thread = i % 4;
            int process = processes[thread];
            ObjectNode req = workload.next(process, random);
            String type = req.get("type").asText();
            if (type.equals("crash")) {
                crashes++;
                Op op = new Op(process, "c", "n0", type, req, null, Op.Type.INFO, t, t, false);
                history.add(op);
                workload.completed(op);
                processes[thread] += 4; // as the bench renews a crashed thread's process
                fresh.add(processes[thread]);
                continue;
            }
            // A fresh client holds no keys: it polls nothing until it has assigned some.
            if (fresh.contains(process) && type.equals("poll")) {
                assertTrue(req.get("offsets").isEmpty(), "a fresh client's first poll: " + req);
            }
            if (type.equals("list_committed_offsets")) fresh.remove(process);
            t = perform(workload, log, history, process, req, t, false);
        }
        assertTrue(crashes >= 5, "crashes in 300 ms: " + crashes);

        // The final phase: each thread's first request is a crash; then its new process polls.
        for (int thread = 0; thread < 4; thread++) {
            ObjectNode req = workload.nextFinal(processes[thread], random);
            assertEquals("crash", req.get("type").asText());
            history.add(new Op(processes[thread], "c", "n0", "crash", req, null, Op.Type.INFO, t, t, true));
            processes[thread] += 4;
            req = workload.nextFinal(processes[thread], random);
            assertEquals("poll", req.get("type").asText());
            do {
                t = perform(workload, log, history, processes[thread], req, t, true);
            } while ((req = workload.nextFinal(processes[thread], random)) != null);
        }
        Verdict v = workload.check(history);
        assertTrue(v.valid(), v.findings().toString());
    }

    @Test
    void aLogThatDropsEveryFifthSendIsRejected() {
        // Its final polls can never catch up: clip them short.
        var workload = new KafkaWorkload(null, 16, 4, Duration.ZERO, Duration.ofMillis(300));
        var log = new Log() {
            int sends;

            @Override
            ObjectNode answer(ObjectNode req) {
                ObjectNode rep = super.answer(req);
                if (req.get("type").asText().equals("send") && ++sends % 5 == 0) {
                    logs.get(req.get("key").asText()).removeLast();
                }
                return rep;
            }
        };
        var random = new Random(5);
        var history = new ArrayList<Op>();
        long t = 0;
        for (int i = 0; i < 2000; i++) {
            t = perform(workload, log, history, i % 4, workload.next(i % 4, random), t, false);
        }
        ObjectNode req;
        while ((req = workload.nextFinal(0, random)) != null) {
            t = perform(workload, log, history, 0, req, t, true);
        }
        Verdict v = workload.check(history);
        assertEquals(Verdict.Validity.INVALID, v.validity());
        assertTrue(v.details().get("error_types").toString().contains("inconsistent-offsets"), v.details().get("error_types").toString());
    }
}
