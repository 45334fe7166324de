package tests.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bench.Op;
import bench.report.Verdict;
import bench.workload.kafka.KafkaWorkload;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The kafka checker on hand-made histories: each anomaly flagged with the operations in it, a clean one passing. */
class KafkaCheckerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Builds a history; each op takes 1 ms and starts 1 ms after the previous one's start. */
    private static final class History {
        final List<Op> ops = new ArrayList<>();

        History op(int process, String node, String request, Op.Type type, String reply) {
            long t = ops.size() * 1_000_000L;
            ObjectNode req = json(request);
            ops.add(new Op(process, "c" + process, node, req.get("type").asText(), req,
                    reply == null ? null : json(reply), type, t, t + 1_000_000L - 1, false));
            return this;
        }

        History send(int process, String key, int msg, int offset) {
            return send(process, "n0", key, msg, offset);
        }

        History send(int process, String node, String key, int msg, int offset) {
            return op(process, node, "{\"type\":\"send\",\"key\":\"%s\",\"msg\":%d}".formatted(key, msg), Op.Type.OK,
                    "{\"type\":\"send_ok\",\"offset\":%d}".formatted(offset));
        }

        /** A poll from {@code offsets} (a JSON object) that returned {@code msgs} (a JSON object of [offset, msg] lists). */
        History poll(int process, String offsets, String msgs) {
            return op(process, "n0", "{\"type\":\"poll\",\"offsets\":" + offsets + "}", Op.Type.OK,
                    "{\"type\":\"poll_ok\",\"msgs\":" + msgs + "}");
        }

        History list(int process, String keys, String committed) {
            return op(process, "n0", "{\"type\":\"list_committed_offsets\",\"keys\":" + keys + "}", Op.Type.OK,
                    "{\"type\":\"list_committed_offsets_ok\",\"offsets\":" + committed + "}");
        }

        Verdict check() {
            return new KafkaWorkload(null, 16, 4).check(ops);
        }
    }

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static List<String> findings(Verdict v, String type) {
        return v.findings().stream().filter(f -> f.startsWith(type + ":")).toList();
    }

    /** Asserts exactly one finding of the type, naming every given process, and returns it. */
    private static String only(Verdict v, String type, int... processes) {
        List<String> found = findings(v, type);
        assertEquals(1, found.size(), type + " in " + v.findings());
        for (int p : processes) assertTrue(found.getFirst().contains("process " + p + " "), found.getFirst());
        assertEquals(Verdict.Validity.INVALID, v.validity());
        return found.getFirst();
    }

    @Test
    void cleanHistoryPasses() {
        Verdict v = new History()
                .send(0, "1", 1, 0).send(0, "1", 2, 1)
                .poll(1, "{\"1\":0}", "{\"1\":[[0,1]]}")
                .op(1, "n0", "{\"type\":\"commit_offsets\",\"offsets\":{\"1\":0}}", Op.Type.OK, "{\"type\":\"commit_offsets_ok\"}")
                .send(0, "1", 3, 2)
                .poll(1, "{\"1\":1}", "{\"1\":[[1,2],[2,3]]}")
                .list(2, "[\"1\"]", "{\"1\":0}")
                .poll(2, "{\"1\":1}", "{\"1\":[[1,2],[2,3]]}")
                .check();
        assertTrue(v.valid(), v.findings().toString());
        assertEquals(0, v.details().get("warnings").size());
    }

    /**
     * Jepsen's write-read graph throws on a polled message without a writer (kafka.clj,
     * wr-graph, :no-writer-of-value), and check-safe turns the throw into :unknown: what
     * Maelstrom said of a second test that polled the first test's messages.
     */
    @Test
    void aPolledMessageNobodySentMakesTheVerdictUnknownWhateverElseIsWrong() {
        Verdict alone = new History().send(0, "1", 1, 0).poll(1, "{\"1\":0}", "{\"1\":[[0,1],[1,7]]}").check();
        assertEquals(Verdict.Validity.UNKNOWN, alone.validity(), alone.findings().toString());
        Verdict withErrors = new History()
                .send(0, "1", 1, 0).send(0, "1", 2, 0)
                .poll(1, "{\"1\":0}", "{\"1\":[[0,1],[1,7]]}")
                .check();
        assertEquals(1, findings(withErrors, "inconsistent-offsets").size(), withErrors.findings().toString());
        assertEquals(Verdict.Validity.UNKNOWN, withErrors.validity());
        assertTrue(withErrors.findings().stream().anyMatch(f -> f.contains("message 7 was polled but never sent")),
                withErrors.findings().toString());
    }

    @Test
    void lostSendIsFlaggedWithItsWriter() {
        Verdict v = new History()
                .send(0, "1", 1, 0).send(0, "1", 2, 1).send(0, "1", 3, 2)
                .poll(1, "{\"1\":0}", "{\"1\":[[0,1]]}")
                .poll(2, "{\"1\":2}", "{\"1\":[[2,3]]}")
                .check();
        String lost = only(v, "lost-write", 0, 2);
        assertTrue(lost.contains("message 2 acknowledged at offset 1"), lost);
        assertEquals(1, findings(v, "unseen").size(), "the lost message was also never polled");
    }

    @Test
    void pollSkipIsFlaggedWithBothPolls() {
        Verdict v = new History()
                .send(0, "1", 1, 0).send(0, "1", 2, 1).send(0, "1", 3, 2)
                .poll(1, "{\"1\":0}", "{\"1\":[[0,1]]}")
                .poll(1, "{\"1\":1}", "{\"1\":[[2,3]]}")
                .poll(2, "{\"1\":0}", "{\"1\":[[0,1],[1,2],[2,3]]}")
                .check();
        String skip = only(v, "poll-skip", 1);
        assertTrue(skip.contains("skips [2]"), skip);
    }

    @Test
    void skipInsideOnePollIsIntPollSkip() {
        Verdict v = new History()
                .send(0, "1", 1, 0).send(0, "1", 2, 1).send(0, "1", 3, 2)
                .poll(2, "{\"1\":0}", "{\"1\":[[0,1],[1,2]]}")
                .poll(1, "{\"1\":0}", "{\"1\":[[0,1],[2,3]]}")
                .check();
        only(v, "int-poll-skip", 1);
    }

    @Test
    void pollGoingBackIsNonmonotonic() {
        Verdict v = new History()
                .send(0, "1", 1, 0).send(0, "1", 2, 1)
                .poll(1, "{\"1\":0}", "{\"1\":[[0,1],[1,2]]}")
                .poll(1, "{\"1\":2}", "{\"1\":[[1,2]]}")
                .check();
        only(v, "nonmonotonic-poll", 1);
    }

    @Test
    void assignForgetsKeysItDropsAsJepsenDoes() {
        Verdict v = new History()
                .send(0, "1", 1, 0).send(0, "1", 2, 1).send(0, "1", 3, 2)
                .poll(1, "{\"1\":0}", "{\"1\":[[0,1]]}")
                .list(1, "[\"2\"]", "{}")
                .poll(1, "{\"1\":2,\"2\":0}", "{\"1\":[[2,3]]}")
                .poll(2, "{\"1\":0}", "{\"1\":[[0,1],[1,2],[2,3]]}")
                .check();
        assertTrue(v.valid(), v.findings().toString());
    }

    @Test
    void sendAcknowledgedBeforeTheProcessesPreviousSendIsNonmonotonic() {
        Verdict v = new History()
                .send(0, "1", 1, 5).send(0, "1", 2, 3)
                .poll(1, "{\"1\":0}", "{\"1\":[[3,2],[5,1]]}")
                .check();
        String nm = only(v, "nonmonotonic-send", 0);
        assertTrue(nm.contains("message 2 was acknowledged at offset 3"), nm);
    }

    @Test
    void twoNodesGivingOneOffsetToDifferentMessagesIsInconsistent() {
        Verdict v = new History()
                .send(0, "n0", "1", 1, 0)
                .send(1, "n1", "1", 2, 0)
                .poll(2, "{\"1\":0}", "{\"1\":[[0,1]]}")
                .poll(3, "{\"1\":0}", "{\"1\":[[0,2]]}")
                .check();
        String inc = only(v, "inconsistent-offsets", 0, 1, 2, 3);
        assertTrue(inc.contains("offset 0") && inc.contains("n0") && inc.contains("n1"), inc);
    }

    @Test
    void oneMessageAtTwoOffsetsIsDuplicate() {
        Verdict v = new History()
                .send(0, "1", 1, 0)
                .poll(1, "{\"1\":0}", "{\"1\":[[0,1],[1,1]]}")
                .check();
        String dup = only(v, "duplicate", 0, 1);
        assertTrue(dup.contains("[0, 1]"), dup);
    }

    @Test
    void pollingAFailedSendIsG1a() {
        Verdict v = new History()
                .op(0, "n0", "{\"type\":\"send\",\"key\":\"1\",\"msg\":1}", Op.Type.FAIL,
                        "{\"type\":\"error\",\"code\":11,\"text\":\"no\"}")
                .poll(1, "{\"1\":0}", "{\"1\":[[0,1]]}")
                .check();
        only(v, "G1a", 0, 1);
    }

    @Test
    void acknowledgedButNeverPolledIsUnseen() {
        Verdict v = new History().send(0, "1", 1, 0).send(0, "2", 1, 0).poll(1, "{\"2\":0}", "{\"2\":[[0,1]]}").check();
        String unseen = only(v, "unseen", 0);
        assertTrue(unseen.startsWith("unseen: key 1"), unseen);
    }

    @Test
    void committedOffsetGoingBackIsAWarningNotAnError() {
        Verdict v = new History()
                .send(0, "1", 1, 0).send(0, "1", 2, 1)
                .poll(1, "{\"1\":0}", "{\"1\":[[0,1],[1,2]]}")
                .list(2, "[\"1\"]", "{\"1\":1}")
                .list(3, "[\"1\"]", "{\"1\":0}")
                .check();
        assertTrue(v.valid(), v.findings().toString());
        assertEquals(1, v.details().get("warnings").size(), v.details().toString());
        String warning = v.details().get("warnings").get(0).asText();
        assertTrue(warning.contains("went back from 1 to 0") && warning.contains("process 2 ")
                && warning.contains("process 3 "), warning);
    }

    @Test
    void worstRealtimeLagIsMeasuredFromWhenTheTailMoved() {
        // Offset 0 exists from 1 ms (the send's completion); the poll invoked at 2 ms still sees nothing.
        Verdict v = new History()
                .send(0, "1", 1, 0)
                .poll(1, "{\"1\":0}", "{}")
                .poll(1, "{\"1\":0}", "{}")
                .poll(1, "{\"1\":0}", "{\"1\":[[0,1]]}")
                .check();
        assertTrue(v.valid(), v.findings().toString());
        var lag = v.details().get("worst_realtime_lag");
        assertEquals(1, lag.get("process").asInt(), lag.toString());
        assertEquals(0.001, lag.get("lag_s").asDouble(), 1e-6, lag.toString());
    }
}
