package bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The simulated network between nodes, clients and services: every message goes
 * through {@link #send}, waits out its latency, and is handed to its destination's
 * {@link Endpoint}, unless a partition drops it. Counts every message for the net
 * statistics.
 *
 * <p>One virtual thread delivers delayed messages in deadline order; a message without
 * latency is delivered at once by the thread that sends it.
 */
public final class Network implements AutoCloseable {

    /** Something that can receive messages: a node process, a client, or a service. */
    public interface Endpoint {
        /**
         * Takes one message. Called from the delivery thread, or from the sender's
         * thread when the message has no latency to wait out: must not block, and must
         * be safe to call from several threads.
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

    /** Message counts of one class of traffic, as Maelstrom's net checker reports them. */
    public record Counts(long sendCount, long recvCount, long msgCount) {
    }

    /** Counts of all traffic, of traffic involving a client, and of traffic between servers. */
    public record Stats(Counts all, Counts clients, Counts servers) {
    }

    private record Envelope(long deadline, Message message) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            Envelope o = (Envelope) other;
            int c = Long.compare(deadline, o.deadline);
            return c != 0 ? c : Long.compare(message.id, o.message.id);
        }
    }

    private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final DelayQueue<Envelope> queue = new DelayQueue<>();
    private final AtomicLong nextId = new AtomicLong();
    private final Latency latency;
    private volatile Map<String, Set<String>> grudge = Map.of();
    private final LongAdder clientSends = new LongAdder();
    private final LongAdder serverSends = new LongAdder();
    private final LongAdder clientRecvs = new LongAdder();
    private final LongAdder serverRecvs = new LongAdder();
    private final Thread deliverer;
    private volatile long maxLagNanos;

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

    /** A network with the given latency; starts its delivery thread. */
    public Network(Latency latency) {
        this.latency = latency;
        this.deliverer = Thread.ofVirtual().name("network").start(this::deliverLoop);
    }

    /** Whether the id names a client (Maelstrom: it starts with 'c'). */
    public static boolean isClient(String id) {
        return !id.isEmpty() && id.charAt(0) == 'c';
    }

    /** Makes {@code id} reachable. */
    public void register(String id, Endpoint endpoint) {
        endpoints.put(id, endpoint);
    }

    /** Makes {@code id} unreachable; messages already in flight to it are discarded. */
    public void unregister(String id) {
        endpoints.remove(id);
    }

    /** Whether {@code id} is currently reachable. */
    public boolean knows(String id) {
        return endpoints.containsKey(id);
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
        Endpoint target = endpoints.get(dest);
        if (!endpoints.containsKey(src) || target == null) {
            return false;
        }
        boolean client = isClient(src) || isClient(dest);
        (client ? clientSends : serverSends).increment();
        Set<String> cut = grudge.get(dest);
        // Maelstrom decides on the partition when the receiver takes the message off
        // its queue, which for a receiver keeping up is right when it is sent.
        if (cut != null && cut.contains(src)) {
            return true;
        }
        if (line != null && !target.takesLines()) {
            body = Json.bodyOf(line);
            line = null;
        }
        long delay = client ? 0 : latency.drawNanos();
        Message message = new Message(nextId.getAndIncrement(), src, dest, body, line);
        if (delay == 0) {
            // Nothing to wait for: hand it over now rather than wake the delivery thread.
            deliver(message);
        } else {
            queue.add(new Envelope(System.nanoTime() + delay, message));
        }
        return true;
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
     * The longest a delayed message waited past its deadline to be delivered: a check
     * that the bench itself kept up, since a late delivery would look like node latency.
     */
    public double maxLagMillis() {
        return maxLagNanos / 1e6;
    }

    /** The message counts so far. */
    public Stats stats() {
        long cs = clientSends.sum(), ss = serverSends.sum(), cr = clientRecvs.sum(), sr = serverRecvs.sum();
        return new Stats(new Counts(cs + ss, cr + sr, cs + ss), new Counts(cs, cr, cs), new Counts(ss, sr, ss));
    }

    private void deliverLoop() {
        try {
            while (true) {
                Envelope e = queue.take();
                maxLagNanos = Math.max(maxLagNanos, System.nanoTime() - e.deadline());
                deliver(e.message());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deliver(Message m) {
        Endpoint endpoint = endpoints.get(m.dest());
        if (endpoint == null) {
            return;
        }
        (isClient(m.src()) || isClient(m.dest()) ? clientRecvs : serverRecvs).increment();
        try {
            endpoint.deliver(m);
        } catch (RuntimeException e) {
            // An endpoint's failure must not stop the network for everyone else.
            System.err.println("[bench] delivering to " + m.dest() + " failed: " + e);
        }
    }

    /** Stops delivering. */
    @Override
    public void close() {
        deliverer.interrupt();
    }
}
