package tests.challenges;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bench.cli.TestCommand;
import bench.report.Results;
import bench.report.Verdict;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tests.support.Nodes;

/**
 * Challenge 4 against g-counter.java on the bench: the official flags (3 nodes, rate 100,
 * partitions) with a shorter run, partitions every second and a one-second quiet period,
 * on many seeds. Each run must be valid: every final read is the exact total (the
 * checker allows only the sum of the acknowledged adds, plus any adds of unknown outcome).
 * The quiet period must stay above the script's --max-staleness (0.5 s) for that.
 */
class GCounterTest {

    /** Adds cost one cas; refreshes at most two per node per second: about one message per op at rate 100. */
    static final double MAX_SERVERS_MSGS_PER_OP = 2;

    @BeforeAll
    static void prepare() throws Exception {
        Nodes.prepare("g-counter");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void part4FinalReadsSeeTheTotalThroughPartitions(long seed) throws Exception {
        Results results = TestCommand.run("--challenge", "4", "--time-limit", "5", "--nemesis-interval", "1",
                "--quiet-period", "1", "--seed", Long.toString(seed), "--store", "store/tests");
        System.out.printf("4, seed %d: %d ok of %d, servers msgs-per-op %.3f, %s%n", seed, results.ops().ok(),
                results.ops().invoked(), results.serversMsgsPerOp(), results.verdict() == null ? "no verdict"
                        : results.verdict().details().get("final-reads"));

        Verdict verdict = results.verdict();
        assertEquals(Verdict.Validity.VALID, results.validity(), () -> "findings " + (verdict == null ? "none"
                : verdict.findings()) + ", problems " + results.problems() + ", see " + results.options().runDir());
        assertEquals(3, verdict.details().get("final-reads").size(), "a final read from each of the 3 clients");
        assertTrue(results.serversMsgsPerOp() < MAX_SERVERS_MSGS_PER_OP, "servers msgs-per-op " + results.serversMsgsPerOp());
    }
}
