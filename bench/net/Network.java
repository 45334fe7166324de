package bench.net;

import bench.Json;
import bench.Options;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Flushable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * The simulated network between nodes, clients and services: every message goes
 * through {@link #send} into its destination's {@link Mailbox}, and each destination's
 * one delivery loop hands it over once its latency is waited out, unless a partition
 * drops it. Counts every message for the net statistics.
 *
 * <p>Delivery is Maelstrom's {@code recv!} ({@code maelstrom/net.clj}): a loop takes the
 * earliest-deadline message from its queue, drops it if the receiver holds a grudge
 * against its sender at that moment, and otherwise sleeps until it is due; whatever
 * arrives meanwhile waits behind it, a client's request (due at once) included. So a node
 * busy with a peer's delayed messages keeps its clients waiting, as under Maelstrom.
 */
public final class Network implements AutoCloseable {

    /** Something that can receive messages: a node process, a client, or a service. */
    public interface Endpoint {
        /**
         * Takes one message. Called from the endpoint's delivery loop, or for a client
         * from the sender's thread: must not block for long, and must be safe to call
         * from several threads.
         */
        void deliver(Message message);

        /**
         * Whether this endpoint only needs {@link Message#toLine()}: then a line a node
         * printed is passed on as it is, never parsed into a tree nor written again,
         * which is most of what the bench would otherwise spend per message.
         */
        default boolean takesLines() {
            return false;
        }
    }

    /**
     * One message as delivered. {@code id} is the network's own sequence number, which
     * Maelstrom also adds to the message a node reads. Exactly one of {@code body} and
     * {@code line} is set: {@code line} is the sender's own line, kept for endpoints
     * that {@linkplain Endpoint#takesLines take lines}.
     */
    public record Message(long id, String src, String dest, ObjectNode body, String line) {

        /** The line a node reads on stdin. */
        public String toLine() {
            if (line != null) {
                return "{\"id\":" + id + "," + line.substring(line.indexOf('{') + 1);
            }
            ObjectNode wire = Json.object();
            wire.put("id", id).put("src", src).put("dest", dest).set("body", body);
            return wire.toString();
        }
    }

    /**
     * Hears of every message the network accepts, hands over, or drops at a partition,
     * with the {@link System#nanoTime} of each: what a Lamport diagram of the run needs.
     * Called on the network's hot paths, from many threads: must be cheap and thread-safe.
     */
    public interface Journal {
        /** The network accepted {@code message} for delivery. */
        void sent(Message message, long atNanos);

        /** {@code message} reached its destination, or, with {@code dropped}, was cut by a partition. */
        void delivered(Message message, long atNanos, boolean dropped);

        /** A journal that keeps nothing. */
        Journal NONE = new Journal() {
            @Override
            public void sent(Message message, long atNanos) {
            }

            @Override
            public void delivered(Message message, long atNanos, boolean dropped) {
            }
        };
    }

    /** Message counts of one class of traffic, as Maelstrom's net checker reports them. */
    public record Counts(long sendCount, long recvCount, long msgCount) {
    }

    /** Counts of all traffic, of traffic involving a client, and of traffic between servers. */
    public record Stats(Counts all, Counts clients, Counts servers) {
    }

    private record Envelope(long deadline, Message message) implements Comparable<Envelope> {
        @Override
        public int compareTo(Envelope o) {
            int c = Long.compare(deadline, o.deadline);
            return c != 0 ? c : Long.compare(message.id, o.message.id);
        }
    }

    /**
     * One destination's queue, ordered by deadline, and the loop that empties it: either
     * a virtual thread of the network's delivering to an {@link Endpoint}, or the
     * owner's own thread calling {@link #take} (a node's stdin writer).
     */
    public final class Mailbox {
        private final String id;
        private final boolean takesLines;
        private final PriorityBlockingQueue<Envelope> queue = new PriorityBlockingQueue<>();

        private Mailbox(String id, boolean takesLines) {
            this.id = id;
            this.takesLines = takesLines;
        }

        /**
         * The next message, as Maelstrom's {@code recv!} yields it: the earliest-deadline
         * one, dropped if the receiver has a grudge against its sender when it is taken,
         * otherwise handed over once due, after a sleep of the whole milliseconds left
         * (Maelstrom's {@code Thread/sleep}). Flushes {@code before} whenever it is about
         * to wait, so nothing already written sits in a buffer meanwhile.
         *
         * @param before flushed before waiting, or null
         */
        public Message take(Flushable before) throws InterruptedException, IOException {
            while (true) {
                Envelope e = queue.poll();
                if (e == null) {
                    if (before != null) {
                        before.flush();
                    }
                    e = queue.take();
                }
                Set<String> cut = grudge.get(id);
                if (cut != null && cut.contains(e.message().src())) {
                    journal.delivered(e.message(), System.nanoTime(), true);
                    continue;
                }
                long wait = e.deadline() - System.nanoTime();
                if (wait >= 1_000_000) {
                    if (before != null) {
                        before.flush();
                    }
                    TimeUnit.MILLISECONDS.sleep(wait / 1_000_000);
                    maxLagNanos.accumulate(System.nanoTime() - e.deadline());
                }
                (isClient(e.message().src()) ? clientRecvs : serverRecvs).increment();
                journal.delivered(e.message(), System.nanoTime(), false);
                return e.message();
            }
        }

        private void put(Envelope e) {
            queue.add(e);
        }
    }

    private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final Map<String, Mailbox> mailboxes = new ConcurrentHashMap<>();
    private final Map<String, Thread> loops = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong();
    private final Latency latency;
    private volatile Map<String, Set<String>> grudge = Map.of();
    private volatile Journal journal = Journal.NONE;
    private final LongAdder clientSends = new LongAdder();
    private final LongAdder serverSends = new LongAdder();
    private final LongAdder clientRecvs = new LongAdder();
    private final LongAdder serverRecvs = new LongAdder();
    private final LongAccumulator maxLagNanos = new LongAccumulator(Math::max, 0);

    /**
     * Draws message latencies in milliseconds.
     *
     * @param meanMillis the mean
     * @param dist       the shape
     * @param random     the source, used under this object's lock
     */
    public record Latency(long meanMillis, Options.LatencyDist dist, Random random) {

        /** One latency draw in nanoseconds. */
        public long drawNanos() {
            if (meanMillis <= 0) {
                return 0;
            }
            long millis;
            synchronized (this) {
                millis = switch (dist) {
                    case CONSTANT -> meanMillis;
                    case UNIFORM -> random.nextLong(2 * meanMillis);
                    case EXPONENTIAL -> (long) (-Math.log(1 - random.nextDouble()) * meanMillis);
                };
            }
            return TimeUnit.MILLISECONDS.toNanos(millis);
        }
    }

    /** A network with the given latency. */
    public Network(Latency latency) {
        this.latency = latency;
    }

    /** Whether the id names a client (Maelstrom: it starts with 'c'). */
    public static boolean isClient(String id) {
        return !id.isEmpty() && id.charAt(0) == 'c';
    }

    /**
     * Makes {@code id} reachable, delivering to {@code endpoint}: a service (or a test's
     * endpoint) gets a delivery loop of its own. A client gets none: every message to it
     * is due at once and no partition names it, so its loop would never wait, and the
     * sender hands messages to it directly.
     */
    public void register(String id, Endpoint endpoint) {
        endpoints.put(id, endpoint);
        if (!isClient(id)) {
            Mailbox mailbox = new Mailbox(id, endpoint.takesLines());
            mailboxes.put(id, mailbox);
            loops.put(id, Thread.ofVirtual().name("deliver " + id).start(() -> deliverLoop(mailbox, endpoint)));
        }
    }

    /**
     * Makes {@code id} reachable with a mailbox its owner empties with
     * {@link Mailbox#take} on a thread of its own, as a node's stdin writer does. Opened
     * again, a fresh mailbox replaces the old one, whose messages are dropped: a killed
     * node's restart, as Maelstrom installs a fresh queue.
     *
     * @param takesLines whether the owner only needs {@link Message#toLine()}: then a
     *                   line a node printed is passed on as it is, never parsed nor
     *                   written again, which is most of what the bench would otherwise
     *                   spend per message
     */
    public Mailbox open(String id, boolean takesLines) {
        Mailbox mailbox = new Mailbox(id, takesLines);
        mailboxes.put(id, mailbox);
        return mailbox;
    }

    /** Makes {@code id} unreachable; messages already in flight to it are discarded. */
    public void unregister(String id) {
        endpoints.remove(id);
        mailboxes.remove(id);
        Thread loop = loops.remove(id);
        if (loop != null) {
            loop.interrupt();
        }
    }

    /** Whether {@code id} is currently reachable. */
    public boolean knows(String id) {
        return endpoints.containsKey(id) || mailboxes.containsKey(id);
    }

    /**
     * Sends a message. Like Maelstrom, refuses it when the source or destination is
     * not on the network, and then neither counts nor delivers it.
     *
     * @return whether the message was accepted (it may still be dropped by a partition)
     */
    public boolean send(String src, String dest, ObjectNode body) {
        return route(src, dest, body, null);
    }

    /**
     * Sends a message a node printed as {@code line}, already checked to be a
     * well-formed message without an "id" of its own; as {@link #send} otherwise.
     */
    public boolean forward(String src, String dest, String line) {
        return route(src, dest, null, line);
    }

    private boolean route(String src, String dest, ObjectNode body, String line) {
        Mailbox mailbox = mailboxes.get(dest);
        Endpoint client = mailbox == null ? endpoints.get(dest) : null;
        if (!knows(src) || (mailbox == null && client == null)) {
            return false;
        }
        boolean involvesClient = isClient(src) || isClient(dest);
        (involvesClient ? clientSends : serverSends).increment();
        if (line != null && (mailbox == null || !mailbox.takesLines)) {
            body = Json.bodyOf(line);
            line = null;
        }
        Message message = new Message(nextId.getAndIncrement(), src, dest, body, line);
        journal.sent(message, System.nanoTime());
        if (mailbox != null) {
            long delay = involvesClient ? 0 : latency.drawNanos();
            mailbox.put(new Envelope(System.nanoTime() + delay, message));
        } else {
            clientRecvs.increment();
            journal.delivered(message, System.nanoTime(), false);
            deliver(client, message);
        }
        return true;
    }

    /** From now on tells {@code journal} of every message. */
    public void journal(Journal journal) {
        this.journal = journal;
    }

    /** Applies a grudge: for each receiver, the senders whose messages it drops. */
    public void partition(Map<String, Set<String>> grudge) {
        this.grudge = Map.copyOf(grudge);
    }

    /** Ends every partition. */
    public void heal() {
        grudge = Map.of();
    }

    /** How many messages were sent in all (the number of messages routed). */
    public long routed() {
        return clientSends.sum() + serverSends.sum();
    }

    /**
     * The longest a delivery loop overslept a message's deadline: a check that the bench
     * itself kept up, since a late wake-up would look like node latency. (A message kept
     * waiting behind another, as Maelstrom keeps it, is not lag.)
     */
    public double maxLagMillis() {
        return maxLagNanos.get() / 1e6;
    }

    /** The message counts so far. */
    public Stats stats() {
        long cs = clientSends.sum(), ss = serverSends.sum(), cr = clientRecvs.sum(), sr = serverRecvs.sum();
        return new Stats(new Counts(cs + ss, cr + sr, cs + ss), new Counts(cs, cr, cs), new Counts(ss, sr, ss));
    }

    private void deliverLoop(Mailbox mailbox, Endpoint endpoint) {
        try {
            while (true) {
                deliver(endpoint, mailbox.take(null));
            }
        } catch (InterruptedException e) {
            // Unregistered, or the run is over.
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deliver(Endpoint endpoint, Message m) {
        try {
            endpoint.deliver(m);
        } catch (RuntimeException e) {
            // An endpoint's failure must not stop its delivery loop, nor the sender's thread.
            System.err.println("[bench] delivering to " + m.dest() + " failed: " + e);
        }
    }

    /** Stops every delivery loop the network runs. */
    @Override
    public void close() {
        loops.values().forEach(Thread::interrupt);
    }
}
