package bench.view;

import bench.Json;
import bench.net.Network;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
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

        /**
         * The body's type and text. When the network kept only the sender's line, both
         * are read from it by Jackson's tokenizer and the text is cut from the line,
         * without building a tree and writing it out again: the diagram of a fast run
         * shows tens of thousands of bodies.
         */
        public Body body() {
            if (message.body() != null) {
                return new Body(Json.type(message.body()), message.body().toString());
            }
            String line = message.line();
            try (JsonParser p = Json.MAPPER.createParser(line)) {
                if (p.nextToken() == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        boolean isBody = p.currentName().equals("body");
                        if (p.nextToken() == JsonToken.START_OBJECT && isBody) {
                            return read(p, line);
                        }
                        p.skipChildren();
                    }
                }
            } catch (IOException e) {
                // The network checked the line; should it fail here after all, the body shows as empty.
            }
            return new Body("", "{}");
        }

        /** The body whose opening brace {@code p} is on: its "type" (a scalar's text, or "") and its text. */
        private static Body read(JsonParser p, String line) throws IOException {
            int from = (int) p.currentTokenLocation().getCharOffset();
            String type = "";
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                boolean isType = p.currentName().equals("type");
                JsonToken value = p.nextToken();
                if (isType && value.isScalarValue() && value != JsonToken.VALUE_NULL) {
                    type = p.getText();
                }
                p.skipChildren();
            }
            return new Body(type, line.substring(from, (int) p.currentLocation().getCharOffset()));
        }
    }

    /**
     * A message's body as the diagram shows it.
     *
     * @param type its "type", or "" when it has none
     * @param text its JSON text
     */
    public record Body(String type, String text) {
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
