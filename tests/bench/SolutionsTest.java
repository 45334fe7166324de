package tests.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import bench.report.Results;
import bench.report.Verdict;
import org.junit.jupiter.api.Test;

/**
 * Echo and unique IDs pass the bench under their challenges' conditions, in short. The
 * other solutions have classes of their own in tests.challenges, with quiet periods
 * long enough for each script's recovery after the last partition.
 */
class SolutionsTest {

    static Results passes(BenchRun run) throws Exception {
        assumeTrue(run.scriptExists(), run.script + " is not written yet");
        Results r = run.run();
        assertEquals(Verdict.Validity.VALID, r.validity(), r.problems() + " " + r.verdict());
        assertEquals(0, r.exitCode());
        return r;
    }

    @Test
    void echo() throws Exception {
        var run = new BenchRun("echo", "echo");
        run.nodeCount = 1;
        passes(run);
    }

    @Test
    void uniqueIdsTotallyAvailableUnderPartitions() throws Exception {
        var run = new BenchRun("unique-ids", "unique-ids");
        run.rate = 500;
        run.partition = true;
        run.availability = "total";
        passes(run);
    }
}
