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

    /**
     * Rejected under partitions on one of a few seeds: the bug shows only when a partition
     * cuts the leader off long enough, which the nemesis's random shapes and gaps (seeded,
     * but the seed's draws change as the nemesis grows) do not promise on any one seed.
     */
    static void rejectedUnderPartitions(String script) throws Exception {
        List<String> verdicts = new ArrayList<>();
        for (int seed = 2; seed <= 6; seed++) {
            Results r = run(script, 10, "--nemesis", "partition", "--seed", Integer.toString(seed));
            if (r.validity() == Verdict.Validity.INVALID) {
                rejected(r);
                return;
            }
            verdicts.add("seed " + seed + ": " + r.validity());
        }
        throw new AssertionError("the checker must reject " + script + " under partitions: " + verdicts);
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
        rejectedUnderPartitions("tests/broken/linkv-split-brain.java");
        accepted(run("tests/broken/linkv-split-brain.java", 4));
    }

    @Test
    void aLeaderThatAcknowledgesBeforeReplicatingLosesWritesWhenCutOff() throws Exception {
        rejectedUnderPartitions("tests/broken/linkv-lost-write.java");
        accepted(run("tests/broken/linkv-lost-write.java", 4));
    }
}
