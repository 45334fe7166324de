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
import org.junit.jupiter.params.provider.CsvSource;
import tests.support.Nodes;

/**
 * Maelstrom's CRDT chapter against g-set.java and pn-counter.java on the bench: each
 * chapter command (the preset), in 10-second runs, and each under partitions, kills and
 * pauses together, flipping every 2 s (the partition presets' own runs are in docs/). The quiet period before the final
 * reads is longer than what the scripts need after the last fault to converge (a resend
 * period and a batch: about 4 s for the g-set, 7 s for the pn-counter, see their
 * headers), plus a restarted node's start. Each run must be valid: every acknowledged
 * element in every final read; every final read a sum of the acknowledged adds and some
 * of the unknown ones. The healthy runs must also keep the messages of the design: short
 * runs pay the final confirmations over fewer operations, hence bounds a little above
 * the chapter targets (under 1 and 0.5 in full runs). Takes about a minute and a half.
 */
class CrdtTest {

    @BeforeAll
    static void prepare() throws Exception {
        Nodes.prepare("g-set", "pn-counter");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "g-set-a, '', 6, 1.2",
            "g-set-a, 'partition,kill,pause', 6, 0",
            "pn-counter-a, '', 9, 0.7",
            "pn-counter-a, 'partition,kill,pause', 9, 0"})
    void validAndLeanUnderTheChaptersCommandsAndFaults(String preset, String faults, String quiet, double maxMsgsPerOp)
            throws Exception {
        var args = new ArrayList<>(List.of("--challenge", preset, "--time-limit", "10", "--nemesis-interval", "2",
                "--quiet-period", quiet, "--seed", "7", "--store", "store/tests"));
        if (!faults.isEmpty()) args.addAll(List.of("--nemesis", faults));
        Results results = TestCommand.run(args.toArray(String[]::new));
        System.out.printf("%s %s: %d ok of %d, servers msgs-per-op %.3f%n", preset, faults, results.ops().ok(),
                results.ops().invoked(), results.serversMsgsPerOp());

        Verdict verdict = results.verdict();
        assertEquals(Verdict.Validity.VALID, results.validity(), () -> "findings " + (verdict == null ? "none"
                : verdict.findings()) + ", problems " + results.problems() + ", see " + results.options().runDir());
        if (preset.startsWith("pn-counter")) {
            assertEquals(5, verdict.details().get("final-reads").size(), "a final read from each of the 5 clients");
        } else {
            assertEquals(0, verdict.details().get("lost-count").asInt());
        }
        if (faults.isEmpty() && preset.endsWith("-a")) {
            assertTrue(results.serversMsgsPerOp() < maxMsgsPerOp, "servers msgs-per-op " + results.serversMsgsPerOp());
        }
    }
}
