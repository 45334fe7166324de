package bench;

import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;

/**
 * When the main phase's operations are invoked and on which client thread, as Jepsen's
 * generator interpreter (Jepsen 0.3, which Maelstrom 0.2.4 runs) does for Maelstrom's
 * {@code (gen/stagger (/ rate) workload)} inside {@code gen/time-limit}:
 *
 * <ul>
 * <li>the ops are {@linkplain Stagger staggered} across all threads;
 * <li>an op that is due waits for a free thread, and is then invoked at once;
 * <li>the free thread is taken in rotation: the first free one at or after a counter
 *     that every invocation advances by one, over the client threads and the nemesis
 *     (whose invocations advance it too), wrapping round to thread 0;
 * <li>nothing is invoked at or after the end of the phase;
 * <li>an op's times are the interpreter's, not its client thread's: it is invoked at the
 *     moment the interpreter decided to, before the op is made and handed over, and it
 *     completes when the interpreter takes it from the threads' queue, which it does
 *     before anything else.
 * </ul>
 *
 * <p>The thread that calls {@link #next} is that interpreter.
 */
public final class Schedule {

    /**
     * Jepsen's {@code stagger}: the first op is due at once, and an op invoked at time t
     * makes the next one due at t plus a uniform draw of 0 to 2/rate. Jepsen's t is the
     * time the interpreter invoked the op, after sleeping until it was due or until a
     * thread came free: so a wake-up that comes late delays every later op, and the
     * rate falls short of the nominal one by the wake-ups' lateness. Nothing is made up.
     */
    public static final class Stagger {
        private final long maxGapNanos;
        private final Random random;
        private long due = Long.MIN_VALUE;

        /** Ops at {@code rate} per second on average; {@code random} draws the gaps. */
        public Stagger(double rate, Random random) {
            this.maxGapNanos = (long) (2e9 / rate);
            this.random = random;
        }

        /** When the next op is due, on System.nanoTime's clock; Long.MIN_VALUE before the first. */
        public long due() {
            return due;
        }

        /** Records an op invoked at {@code now}; the next one is due a random 0..2/rate later. */
        public void invoked(long now) {
            due = now + (long) (random.nextDouble() * maxGapNanos);
        }

        /** Sleeps until the next op is due. */
        public void awaitDue() throws InterruptedException {
            long wait = due == Long.MIN_VALUE ? 0 : due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
        }
    }

    /** What the interpreter handles next: an op to invoke, or one that finished. */
    public sealed interface Event permits Invocation, Completion {
    }

    /**
     * An op handed out.
     *
     * @param thread the client thread that makes it
     * @param at     when it was invoked, on System.nanoTime's clock
     */
    public record Invocation(int thread, long at) implements Event {
    }

    /**
     * An op that finished, taken by the interpreter; its thread is free again.
     *
     * @param thread the client thread that made it
     * @param at     when the interpreter took it: the op's completion time, on System.nanoTime's clock
     * @param finish what the thread left to do with that time (record the op)
     */
    public record Completion(int thread, long at, LongConsumer finish) implements Event {
    }

    /** A finished op not yet taken by the interpreter. */
    private record Finished(int thread, LongConsumer finish) {
    }

    private final Stagger stagger;
    private final int threads;
    private final BitSet free = new BitSet();
    private final ArrayDeque<Finished> finished = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Jepsen's context's next-thread-index: 0..threads, where threads is the nemesis's slot. */
    private int nextThread;

    /** A schedule at {@code rate} ops per second for {@code threads} client threads, all free. */
    public Schedule(double rate, int threads, Random random) {
        this.stagger = new Stagger(rate, random);
        this.threads = threads;
        free.set(0, threads);
    }

    /**
     * Waits for the interpreter's next event: a finished op, first if there is one, as
     * Jepsen takes completions first; else, before {@code end}, an op that is due handed
     * to a free thread, which is busy until it {@link #finished} or is {@link #free}d.
     *
     * @param end        the end of the phase: nothing is invoked at or after it
     * @param drainUntil how long after {@code end} ops still in flight are waited for
     *                   (both on System.nanoTime's clock)
     * @return the event, or null once the phase ended and every thread is free, or at
     *         {@code drainUntil}
     */
    public Event next(long end, long drainUntil) throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                long now = System.nanoTime();
                Finished done = finished.poll();
                if (done != null) {
                    free.set(done.thread());
                    return new Completion(done.thread(), now, done.finish());
                }
                if (now >= end) {
                    if (free.cardinality() == threads || now >= drainUntil) {
                        return null;
                    }
                    changed.awaitNanos(drainUntil - now);
                    continue;
                }
                if (stagger.due() > now) {
                    changed.awaitNanos(Math.min(stagger.due(), end) - now);
                    continue;
                }
                int thread = free.nextSetBit(nextThread);
                if (thread < 0) {
                    thread = free.nextSetBit(0);
                }
                if (thread < 0) {
                    changed.awaitNanos(end - now);
                    continue;
                }
                free.clear(thread);
                advance();
                stagger.invoked(now);
                return new Invocation(thread, now);
            }
        } finally {
            lock.unlock();
        }
    }

    /** When the next op is due; Long.MIN_VALUE before the first. */
    public long due() {
        lock.lock();
        try {
            return stagger.due();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Called by a client thread whose op finished: the interpreter's {@link #next} takes it
     * and hands {@code finish} the completion time.
     */
    public void finished(int thread, LongConsumer finish) {
        lock.lock();
        try {
            finished.add(new Finished(thread, finish));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Marks {@code thread} free again at once: the op handed to it was never made. */
    public void free(int thread) {
        lock.lock();
        try {
            free.set(thread);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Records an invocation on the nemesis's thread, which advances the rotation too. */
    public void nemesisInvoked() {
        lock.lock();
        try {
            advance();
        } finally {
            lock.unlock();
        }
    }

    private void advance() {
        nextThread = (nextThread + 1) % (threads + 1);
    }
}
