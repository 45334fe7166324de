package tests.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bench.report.Results;
import bench.report.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tests.support.ShortRuns;

/**
 * The lin-kv workload end to end against real nodes: the forward-to-n0 fixture stays
 * linearizable through partitions (its timed-out writes indeterminate), and each broken node
 * in tests/broken/ is rejected with a finding that names the key. Seed 2's partitions cut n0
 * off on its own from 3.5 s to 5.3 s, which the leader-based nodes need; the nemesis draws
 * its shapes from the seed alone, so every run sees them.
 */
class LinKvBrokenNodesTest {

    /** Three nodes, 2n clients at 100 requests a second, for {@code seconds}, then {@code flags}. */
    static Results run(String script, int seconds, String... flags) throws Exception {
        var words = new ArrayList<>(List.of("--concurrency", "2n", "--rate", "100",
                "--time-limit", Integer.toString(seconds)));
        words.addAll(List.of(flags));
        Results r = ShortRuns.run("lin-kv", script, words.toArray(String[]::new));
        assertTrue(r.problems().isEmpty(), "the nodes ran cleanly: " + r.problems());
        return r;
    }

    static void rejected(Results r) {
        assertEquals(Verdict.Validity.INVALID, r.validity(), "the checker must reject it");
        String finding = r.verdict().findings().getFirst();
        assertTrue(finding.matches("key \\d+: not linearizable: .*"), finding);
    }

    static void accepted(Results r) {
        assertEquals(Verdict.Validity.VALID, r.validity(), () -> r.verdict().findings().toString());
    }

    @Test
    void forwardingToOneNodeIsLinearizableThroughPartitions() throws Exception {
        Results r = run("tests/fixtures/linkv-forward.java", 10, "--nemesis", "partition", "--seed", "2");
        accepted(r);
        assertTrue(r.ops().ok() > 300, "ops ok: " + r.ops().ok());
        assertTrue(r.ops().info() > 0, "writes cut off from n0 ended unknown, and were checked as such");
    }

    @Test
    void readsFromALaggingReplicaAreStale() throws Exception {
        rejected(run("tests/broken/linkv-stale-read.java", 4));
    }

    @Test
    void aCasAppliedTwiceOnARetryIsCaught() throws Exception {
        rejected(run("tests/broken/linkv-cas-twice.java", 4));
    }

    @Test
    void aLeaderOnEachSideOfAPartitionIsSplitBrain() throws Exception {
        rejected(run("tests/broken/linkv-split-brain.java", 10, "--nemesis", "partition", "--seed", "2"));
        accepted(run("tests/broken/linkv-split-brain.java", 4));
    }

    @Test
    void aLeaderThatAcknowledgesBeforeReplicatingLosesWritesWhenCutOff() throws Exception {
        rejected(run("tests/broken/linkv-lost-write.java", 10, "--nemesis", "partition", "--seed", "2"));
        accepted(run("tests/broken/linkv-lost-write.java", 4));
    }
}
