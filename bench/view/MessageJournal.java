package bench.view;

import bench.Json;
import bench.net.Network;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps every message's send and arrival for the Lamport diagram: one small record per
 * event on a lock-free queue, and the body left as the network has it (a node's own
 * line, or a tree) until a picture asks for its text. Keeps at most {@link #LIMIT}
 * messages, so a very long run cannot exhaust the bench's memory.
 */
public final class MessageJournal implements Network.Journal {

    /** The most messages kept; the diagram says when a run had more. */
    public static final int LIMIT = 1_000_000;

    /**
     * One message's flight.
     *
     * @param id        the network's sequence number
     * @param src       sender
     * @param dest      receiver
     * @param sentAt    when the network accepted it, in nanoseconds of the run's clock
     * @param arrivedAt when it was handed over or dropped; its sending time when it {@linkplain Fate#NEVER never was}
     * @param fate      how its flight ended
     * @param message   the message, for its body's text
     */
    public record Flight(long id, String src, String dest, long sentAt, long arrivedAt, Fate fate,
                         Network.Message message) {

        /** The body, parsed from the sender's line when the network kept only that. */
        public ObjectNode body() {
            return message.body() != null ? message.body() : Json.bodyOf(message.line());
        }
    }

    /** How a message's flight ended. */
    public enum Fate {
        /** Handed over to its destination. */
        DELIVERED,
        /** Dropped by a partition. */
        DROPPED,
        /** Still queued, or its destination gone, when the run ended. */
        NEVER
    }

    private record Event(Network.Message message, long at, byte kind) {
    }

    private static final byte SENT = 0, DELIVERED = 1, DROPPED = 2;
    private final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();
    private final AtomicInteger sends = new AtomicInteger();

    @Override
    public void sent(Network.Message message, long atNanos) {
        if (sends.incrementAndGet() <= LIMIT) {
            events.add(new Event(message, atNanos, SENT));
        }
    }

    @Override
    public void delivered(Network.Message message, long atNanos, boolean dropped) {
        if (message.id() < LIMIT) {
            events.add(new Event(message, atNanos, dropped ? DROPPED : DELIVERED));
        }
    }

    /** Whether some messages were sent after the journal was full. */
    public boolean truncated() {
        return sends.get() > LIMIT;
    }

    /** Every message kept, by send time, with times relative to {@code origin}. */
    public List<Flight> flights(long origin) {
        Map<Long, Event> arrivals = new HashMap<>();
        List<Event> sent = new ArrayList<>();
        for (Event e : events) {
            if (e.kind == SENT) {
                sent.add(e);
            } else {
                arrivals.put(e.message.id(), e);
            }
        }
        List<Flight> flights = new ArrayList<>(sent.size());
        for (Event s : sent) {
            Event a = arrivals.get(s.message.id());
            Network.Message m = s.message;
            Fate fate = a == null ? Fate.NEVER : a.kind == DROPPED ? Fate.DROPPED : Fate.DELIVERED;
            flights.add(new Flight(m.id(), m.src(), m.dest(), s.at - origin, a == null ? s.at - origin : a.at - origin,
                    fate, m));
        }
        flights.sort(Comparator.comparingLong(Flight::sentAt).thenComparingLong(Flight::id));
        return flights;
    }
}
