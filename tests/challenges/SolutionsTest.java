package tests.challenges;

import static org.junit.jupiter.api.Assertions.assertEquals;

import bench.report.Results;
import bench.report.Verdict;
import org.junit.jupiter.api.Test;
import tests.support.ShortRuns;

/**
 * Echo and unique IDs pass the bench under their challenges' conditions, in short. The
 * other solutions have classes of their own here, with quiet periods long enough for
 * each script's recovery after the last partition.
 */
class SolutionsTest {

    static Results passes(String workload, String... flags) throws Exception {
        Results r = ShortRuns.run(workload, workload, flags);
        assertEquals(Verdict.Validity.VALID, r.validity(), r.problems() + " " + r.verdict());
        assertEquals(0, r.exitCode());
        return r;
    }

    @Test
    void echo() throws Exception {
        passes("echo", "--node-count", "1");
    }

    @Test
    void uniqueIdsTotallyAvailableUnderPartitions() throws Exception {
        passes("unique-ids", "--rate", "500", "--nemesis", "partition", "--availability", "total");
    }
}
