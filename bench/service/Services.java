package bench.service;

import bench.Json;
import bench.net.Network;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import lib.RpcError;

/**
 * Maelstrom's built-in services: {@code lin-kv}, {@code seq-kv}, {@code lww-kv} and
 * {@code lin-tso}. Each handles one request at a time, as Maelstrom runs each service
 * on one thread.
 */
public final class Services {

    private Services() {
    }

    /** A service: answers a request body from {@code src}, or returns null for no answer. */
    public interface Service {
        /** The reply body without in_reply_to, or null when Maelstrom would not answer. */
        ObjectNode handle(String src, ObjectNode body);
    }

    /** The services' names on the network, which no node may take. */
    public static final Set<String> NAMES = Set.of("lin-kv", "seq-kv", "lww-kv", "lin-tso");

    /** Puts the four services on the network, under their Maelstrom names. */
    public static void start(Network network, Random random) {
        Map<String, Service> services = Map.of(
                "lin-kv", new LinKv(),
                "seq-kv", new SeqKv(new Random(random.nextLong())),
                "lww-kv", new LwwKv(new Random(random.nextLong())),
                "lin-tso", new LinTso());
        services.forEach((name, service) -> network.register(name, message -> {
            synchronized (service) { // replies leave in the order the requests were handled
                ObjectNode reply = reply(service, message.src(), message.body());
                if (reply != null) network.send(name, message.src(), reply);
            }
        }));
    }

    /**
     * {@code service}'s reply to {@code body} from {@code src}, with its in_reply_to, or
     * null when Maelstrom would not answer: one request at a time, as Maelstrom runs each
     * service on a thread of its own. For the network, and for stand-ins that answer a
     * node's requests off it (the start-up benchmark, tests that speak to nodes by hand).
     */
    public static ObjectNode reply(Service service, String src, ObjectNode body) {
        synchronized (service) {
            ObjectNode reply = service.handle(src, body);
            if (reply != null) reply.set("in_reply_to", body.get("msg_id"));
            return reply;
        }
    }

    /** An error body with Maelstrom's code. */
    public static ObjectNode error(int code, String text) {
        return Json.body("error").put("code", code).put("text", text);
    }

    /** Reads one key of some state: the value, or null when the key is absent. */
    @FunctionalInterface
    interface Lookup {
        JsonNode get(JsonNode key);
    }

    /**
     * What one key-value request does to one state.
     *
     * @param reply    the answer
     * @param key      the key written, or null when the state is left as it was
     * @param newValue the value written
     */
    record Step(ObjectNode reply, JsonNode key, JsonNode newValue) {
        boolean changes() {
            return key != null;
        }
    }

    private static JsonNode field(ObjectNode body, String name) {
        JsonNode v = body.get(name);
        return v == null ? NullNode.getInstance() : v;
    }

    /**
     * Applies read, write or cas to a state, as Maelstrom's key-value services do: a
     * write or cas that stores the value already there leaves the state unchanged.
     *
     * @param createAllowed whether cas honours create_if_not_exists (lww-kv does not)
     * @return the step, or null for a request type the service does not know
     */
    static Step kv(Lookup state, ObjectNode body, boolean createAllowed) {
        JsonNode key = field(body, "key");
        JsonNode current = state.get(key);
        switch (Json.type(body)) {
            case "read" -> {
                return new Step(current == null
                        ? error(RpcError.KEY_DOES_NOT_EXIST, "key does not exist")
                        : Json.body("read_ok").set("value", current), null, null);
            }
            case "write" -> {
                JsonNode value = field(body, "value");
                return store(Json.body("write_ok"), key, current, value);
            }
            case "cas" -> {
                JsonNode to = field(body, "to");
                if (current == null) {
                    return createAllowed && truthy(body.get("create_if_not_exists"))
                            ? store(Json.body("cas_ok"), key, null, to)
                            : new Step(error(RpcError.KEY_DOES_NOT_EXIST, "key does not exist"), null, null);
                }
                JsonNode from = field(body, "from");
                if (!from.equals(current)) {
                    return new Step(error(RpcError.PRECONDITION_FAILED,
                            "current value " + current + " is not " + from), null, null);
                }
                return store(Json.body("cas_ok"), key, current, to);
            }
            default -> {
                return null;
            }
        }
    }

    private static Step store(ObjectNode reply, JsonNode key, JsonNode current, JsonNode value) {
        return value.equals(current) ? new Step(reply, null, null) : new Step(reply, key, value);
    }

    /** Clojure truthiness: anything but absent, null and false. */
    private static boolean truthy(JsonNode v) {
        return v != null && !v.isNull() && !(v.isBoolean() && !v.booleanValue());
    }

    /** {@code lin-kv}: one linearizable map. */
    public static final class LinKv implements Service {
        private final Map<JsonNode, JsonNode> map = new HashMap<>();

        @Override
        public ObjectNode handle(String src, ObjectNode body) {
            Step step = kv(map::get, body, true);
            if (step == null) {
                return null;
            }
            if (step.changes()) {
                map.put(step.key(), step.newValue());
            }
            return step.reply();
        }
    }

    /**
     * {@code seq-kv}: sequentially consistent. The service keeps a numbered sequence of
     * states; each client remembers the state number it last used. A request first
     * tries a state picked at random between that number and the newest; if it leaves
     * that state unchanged (a read, a failing cas, a write of the value already there)
     * its answer stands and the client moves to that number. Otherwise it runs on the
     * newest state, which makes a new state. Like Maelstrom's ring of 32 states, a pick
     * further back than the ring holds wraps around inside the ring, so a client that
     * lags far behind can be shown states out of order, exactly as Maelstrom does.
     */
    public static final class SeqKv implements Service {
        /** How many states Maelstrom keeps. */
        static final int RING = 32;

        private record Version(long state, JsonNode value) {
        }

        private final Random random;
        private final Map<JsonNode, List<Version>> versions = new HashMap<>();
        private final Map<String, Long> clients = new HashMap<>();
        private long last;

        /** A seq-kv whose stale picks come from {@code random}. */
        public SeqKv(Random random) {
            this.random = random;
        }

        private JsonNode valueAt(JsonNode key, long state) {
            List<Version> vs = versions.get(key);
            if (vs == null) {
                return null;
            }
            int lo = 0, hi = vs.size() - 1, found = -1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (vs.get(mid).state() <= state) {
                    found = mid;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return found < 0 ? null : vs.get(found).value();
        }

        @Override
        public ObjectNode handle(String src, ObjectNode body) {
            long seen = clients.getOrDefault(src, 0L);
            long pick = seen + random.nextLong(last - seen + 1);
            long held = Math.min(last + 1, RING);
            long state = last - (last - pick) % held;
            Step stale = kv(key -> valueAt(key, state), body, true);
            if (stale == null) {
                return null;
            }
            if (!stale.changes()) {
                clients.put(src, pick);
                return stale.reply();
            }
            Step fresh = kv(key -> valueAt(key, last), body, true);
            last++;
            if (fresh.changes()) {
                versions.computeIfAbsent(fresh.key(), k -> new ArrayList<>()).add(new Version(last, fresh.newValue()));
            }
            clients.put(src, last);
            return fresh.reply();
        }
    }

    /**
     * {@code lww-kv}: two replicas, each request served by one picked at random. In
     * Maelstrom 0.2.x the replicas are meant to merge by last-write-wins, but the
     * merged state is discarded before it is stored, so they never converge; this
     * service behaves the same. cas never creates a key here.
     */
    public static final class LwwKv implements Service {
        private final Random random;
        private final List<Map<JsonNode, JsonNode>> replicas = List.of(new HashMap<>(), new HashMap<>());

        /** An lww-kv whose replica picks come from {@code random}. */
        public LwwKv(Random random) {
            this.random = random;
        }

        @Override
        public ObjectNode handle(String src, ObjectNode body) {
            Map<JsonNode, JsonNode> replica = replicas.get(random.nextInt(replicas.size()));
            Step step = kv(replica::get, body, false);
            if (step == null) {
                return null;
            }
            if (step.changes()) {
                replica.put(step.key(), step.newValue());
            }
            return step.reply();
        }
    }

    /** {@code lin-tso}: timestamps 0, 1, 2, ... */
    public static final class LinTso implements Service {
        private long next;

        @Override
        public ObjectNode handle(String src, ObjectNode body) {
            return "ts".equals(Json.type(body)) ? Json.body("ts_ok").put("ts", next++) : null;
        }
    }
}
