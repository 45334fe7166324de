package tests.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import bench.Results;
import bench.Verdict;
import org.junit.jupiter.api.Test;

/** The real solutions pass the bench under the challenges' own conditions, in short. */
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

    @Test
    void broadcastUnderPartitions() throws Exception {
        var run = new BenchRun("broadcast", "broadcast");
        run.nodeCount = 5;
        run.partition = true;
        passes(run);
    }

    @Test
    void gCounterUnderPartitions() throws Exception {
        var run = new BenchRun("g-counter", "g-counter");
        run.rate = 100;
        run.partition = true;
        passes(run);
    }
}
