package tests.challenges;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bench.cli.TestCommand;
import bench.report.Results;
import bench.report.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tests.support.Nodes;

/**
 * Challenge 4 against g-counter.java on the bench: the official flags (3 nodes, rate 100,
 * partitions) with a shorter run, faults every second and a quiet period of a few
 * seconds, on several seeds; with partitions, kills and pauses too, and with the count in
 * seq-kv. Each run must be valid: every final read is the exact total (the checker allows
 * only the sum of the acknowledged adds, plus any adds of unknown outcome). The quiet
 * period must outlast a restart and a few of the script's gossip periods (1 s) for that.
 */
class GCounterTest {

    /** With the defaults, adds cost no message and gossip about two per node per second: about 0.1 per op at rate 100. */
    static final double MAX_SERVERS_MSGS_PER_OP = 0.3;
    /** With durable=seqkv, about one cas per add: about one message per op. */
    static final double MAX_SEQ_KV_SERVERS_MSGS_PER_OP = 2;

    @BeforeAll
    static void prepare() throws Exception {
        Nodes.prepare("g-counter");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2})
    void part4FinalReadsSeeTheTotalThroughPartitions(long seed) throws Exception {
        assertValid(run(seed, "partition"), MAX_SERVERS_MSGS_PER_OP);
    }

    /** A node acknowledges an add only once a kill cannot take it: killed nodes come back with their counts. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2})
    void part4FinalReadsSeeTheTotalThroughPartitionsKillsAndPauses(long seed) throws Exception {
        assertValid(run(seed, "partition,kill,pause"), MAX_SERVERS_MSGS_PER_OP);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1})
    void part4StatelessOnSeqKvThroughPartitionsKillsAndPauses(long seed) throws Exception {
        assertValid(run(seed, "partition,kill,pause", "--", "durable=seqkv"), MAX_SEQ_KV_SERVERS_MSGS_PER_OP);
    }

    static Results run(long seed, String nemesis, String... nodeOptions) throws Exception {
        var args = new ArrayList<>(List.of("--challenge", "4", "--time-limit", "5", "--nemesis", nemesis,
                "--nemesis-interval", "1", "--quiet-period", "6", "--seed", Long.toString(seed), "--store", "store/tests"));
        args.addAll(List.of(nodeOptions));
        Results results = TestCommand.run(args.toArray(String[]::new));
        System.out.printf("4, %s %s, seed %d: %d ok of %d, servers msgs-per-op %.3f, %s%n", nemesis,
                String.join(" ", nodeOptions), seed, results.ops().ok(), results.ops().invoked(),
                results.serversMsgsPerOp(), results.verdict() == null ? "no verdict"
                        : results.verdict().details().get("final-reads"));
        return results;
    }

    static void assertValid(Results results, double maxServersMsgsPerOp) {
        Verdict verdict = results.verdict();
        assertEquals(Verdict.Validity.VALID, results.validity(), () -> "findings " + (verdict == null ? "none"
                : verdict.findings()) + ", problems " + results.problems() + ", see " + results.options().runDir());
        assertEquals(3, verdict.details().get("final-reads").size(), "a final read from each of the 3 clients");
        assertTrue(results.serversMsgsPerOp() < maxServersMsgsPerOp, "servers msgs-per-op " + results.serversMsgsPerOp());
    }
}
