package tests.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bench.Schedule;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The main phase's op schedule is Jepsen's: stagger, rotation over free threads, time
 * limit, and the interpreter's clock: completions taken first and timed when taken.
 */
class ScheduleTest {

    /** The next event, which must be an invocation. */
    static Schedule.Invocation invoke(Schedule schedule, long end) throws InterruptedException {
        return (Schedule.Invocation) schedule.next(end, end);
    }

    /** One invocation and when the schedule then made the next op due. */
    record Step(Schedule.Invocation invocation, long nextDue) {
    }

    static List<Step> run(Schedule schedule, int ops, long stallAfter, long stallNanos) throws Exception {
        var steps = new ArrayList<Step>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (int i = 0; i < ops; i++) {
            Schedule.Invocation invocation = invoke(schedule, end);
            steps.add(new Step(invocation, schedule.due()));
            if (i == stallAfter) {
                // The only thread stays busy: the ops due meanwhile must not come in a burst after.
                Thread.sleep(TimeUnit.NANOSECONDS.toMillis(stallNanos));
            }
            schedule.free(invocation.thread());
        }
        return steps;
    }

    @Test
    void gapsAreJepsensStaggerFromEachActualInvocation() throws Exception {
        double rate = 200;
        long maxGap = (long) (2e9 / rate);
        int ops = 600;
        List<Step> steps = run(new Schedule(rate, 1, new Random(3)), ops, 100, TimeUnit.MILLISECONDS.toNanos(100));
        var draws = new ArrayList<Double>();
        for (int i = 0; i < ops; i++) {
            Step s = steps.get(i);
            long draw = s.nextDue() - s.invocation().at();
            assertTrue(draw >= 0 && draw < maxGap, "the next op is due 0..2/rate after this one was invoked: " + draw);
            draws.add(draw / (double) maxGap);
            if (i > 0) {
                assertTrue(s.invocation().at() >= steps.get(i - 1).nextDue(), "no op is invoked before it is due");
            }
        }
        double mean = draws.stream().mapToDouble(d -> d).average().orElseThrow();
        assertEquals(0.5, mean, 0.05, "the mean gap is 1/rate");
        draws.sort(null);
        for (int decile = 1; decile < 10; decile++) {
            assertEquals(decile / 10.0, draws.get(ops * decile / 10), 0.07, "gaps are uniform: decile " + decile);
        }
        double seconds = (steps.getLast().invocation().at() - steps.getFirst().invocation().at()) / 1e9 - 0.1;
        double achieved = (ops - 1) / seconds;
        assertTrue(achieved > 0.7 * rate && achieved < 1.1 * rate, "about the nominal rate, never above: " + achieved);
    }

    @Test
    void freeThreadsAreTakenInRotationThatTheNemesisAdvancesToo() throws Exception {
        var schedule = new Schedule(100_000, 3, new Random(1));
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        var threads = new ArrayList<Integer>();
        for (int i = 0; i < 8; i++) {
            var invocation = invoke(schedule, end);
            threads.add(invocation.thread());
            schedule.free(invocation.thread());
        }
        assertEquals(List.of(0, 1, 2, 0, 0, 1, 2, 0), threads, "the nemesis's slot wraps round to thread 0");
        schedule.nemesisInvoked();
        assertEquals(1, invoke(schedule, end).thread(), "the nemesis's invocation moved the rotation on from 0");
        schedule.free(invoke(schedule, end).thread());
        assertEquals(0, invoke(schedule, end).thread());
        assertEquals(2, invoke(schedule, end).thread(), "busy threads 0 and 1 are passed over");
    }

    @Test
    void aThreadsOwnStaggerMakesItsFirstOpDueAtOnce() throws Exception {
        var stagger = new Schedule.Stagger(5, new Random(1));
        long t0 = System.nanoTime();
        stagger.awaitDue();
        stagger.invoked(System.nanoTime());
        assertTrue(System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(100), "the first is not delayed");
        assertTrue(stagger.due() - t0 < TimeUnit.MILLISECONDS.toNanos(500), "the next is 0..2/rate later");
    }

    @Test
    void nothingIsInvokedAfterTheEnd() throws Exception {
        var schedule = new Schedule(1000, 1, new Random(1));
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        var first = invoke(schedule, end);
        assertNull(schedule.next(end, end), "the only thread stays busy until the end");
        schedule.free(first.thread());
        assertNull(schedule.next(end, end));
    }

    @Test
    void aCompletionComesBeforeADueOpAndIsTimedWhenTheInterpreterTakesIt() throws Exception {
        var schedule = new Schedule(100_000, 2, new Random(1));
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        var first = invoke(schedule, end);
        var recorded = new AtomicLong(-1);
        schedule.finished(first.thread(), recorded::set);
        long afterFinished = System.nanoTime();
        Thread.sleep(30);
        // Ops are due all the time at this rate and thread 1 is free, yet the completion goes first.
        var completion = assertInstanceOf(Schedule.Completion.class, schedule.next(end, end));
        assertEquals(first.thread(), completion.thread());
        assertTrue(completion.at() - afterFinished >= TimeUnit.MILLISECONDS.toNanos(30),
                "timed when the interpreter took it, not when the client thread finished");
        assertEquals(-1, recorded.get(), "the interpreter, not the schedule, records the op");
        completion.finish().accept(completion.at());
        assertEquals(completion.at(), recorded.get());
        assertEquals(1, invoke(schedule, end).thread(), "the rotation goes on");
        assertEquals(first.thread(), invoke(schedule, end).thread(), "its thread is free again");
    }

    @Test
    void opsInFlightAtTheEndAreStillTakenUntilEveryThreadIsFree() throws Exception {
        var schedule = new Schedule(100_000, 1, new Random(1));
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        var first = invoke(schedule, end);
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            schedule.finished(first.thread(), at -> { });
        });
        long drainUntil = end + TimeUnit.SECONDS.toNanos(10);
        var completion = assertInstanceOf(Schedule.Completion.class, schedule.next(end, drainUntil),
                "after the end the interpreter still waits for the op in flight");
        assertTrue(completion.at() >= end);
        assertNull(schedule.next(end, drainUntil), "then, every thread free, the phase is over");
    }

    @Test
    void theDrainGivesUpAtItsDeadline() throws Exception {
        var schedule = new Schedule(100_000, 1, new Random(1));
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        invoke(schedule, end);
        long drainUntil = end + TimeUnit.MILLISECONDS.toNanos(50);
        assertNull(schedule.next(end, drainUntil), "an op that never finishes is not waited for past the deadline");
        assertTrue(System.nanoTime() >= drainUntil);
    }
}
