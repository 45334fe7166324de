package tests.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bench.Op;
import bench.cli.TestCommand;
import bench.report.Results;
import bench.workload.Workload;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tests.support.ForwardingWorkload;

/**
 * The results time an operation as Jepsen's interpreter does, which Maelstrom's
 * latencies are: from the moment it decides to invoke, before the op is even made, to
 * the moment it takes the completion; the history keeps what each client saw.
 */
class InterpreterClockTest {

    /** How long the slow generator takes to make each op. */
    static final long GENERATOR_MILLIS = 20;

    /** Echo, with a generator that takes {@link #GENERATOR_MILLIS} for each op. */
    static final class SlowGenerator extends ForwardingWorkload {
        final List<Op> seen = new ArrayList<>();

        SlowGenerator(Workload echo) {
            super(echo);
        }

        @Override
        public ObjectNode next(int process, Random random) {
            try {
                Thread.sleep(GENERATOR_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return delegate.next(process, random);
        }

        @Override
        public void completed(Op op) {
            seen.add(op);
            delegate.completed(op);
        }
    }

    @Test
    void theTimeTheGeneratorTakesCountsInTheLatencyButNotInTheClientsHistory() throws Exception {
        var slow = new SlowGenerator[1];
        Results results = TestCommand.run(echo -> slow[0] = new SlowGenerator(echo), "-w", "echo",
                "--bin", "bench/python-echo.py", "--node-count", "1", "--time-limit", "2", "--rate", "10",
                "--store", Files.createTempDirectory("bench-test").toString());
        assertEquals(results.ops().invoked(), results.ops().ok(), "the Python echo node answers everything");
        assertTrue(results.ops().invoked() >= 5, "ops were made: " + results.ops().invoked());
        double median = results.latencies().get("echo").p50();
        assertTrue(median >= GENERATOR_MILLIS, "an op's latency includes making it, as in Jepsen: " + median + " ms");
        long clientMedianNanos = slow[0].seen.stream().mapToLong(op -> op.completedAt() - op.invokedAt()).sorted()
                .skip(slow[0].seen.size() / 2).findFirst().orElseThrow();
        assertTrue(clientMedianNanos < GENERATOR_MILLIS * 1_000_000L / 2,
                "the client's own request took less than the generator: " + clientMedianNanos / 1e6 + " ms");
    }
}
