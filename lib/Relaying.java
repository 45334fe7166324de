package lib;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A node's relaying through its peers (see {@link Node#relayWhenSilent}): what it knows of
 * the way to and from each peer, and which requests came to it several ways.
 *
 * <p>Which ways. A peer that has left an RPC without a direct answer for the silence
 * allowed is silent. A request to a silent peer goes the ways that work: directly when its
 * requests arrive directly (the answers say whether they did), through another peer when
 * they do not, and both ways while that is unknown; and it asks for its answer the ways
 * that work back (a direct answer shows that they do, one that comes only through a peer
 * that they do not). Through one peer: the likeliest to pass it on, one that this node's
 * requests reach. Once every {@link #PROBE}, a request to a silent peer goes, and asks to
 * be answered, both ways and through every other peer, which finds out again; and once a
 * direct answer says its request came directly, the peer is no longer silent and requests
 * go directly alone. A peer that has not answered at all, any way, for {@link #GIVE_UP}
 * is cut off from every way, or down: requests to it go directly alone, but for the
 * probe.
 *
 * <p>Once. A node handles the first copy of such a request and drops the others, by its
 * sender and msg_id, which it remembers for {@link #KEEP} from that first copy. A copy
 * sent longer ago than that is dropped, as the network might have lost it, and so is one
 * sent before this process started, whose first copy may have come to an earlier process
 * of this node. So no copy of a request is handled twice, by one process or by two: the
 * request says when it was sent, on the machine's monotonic clock, which every node
 * shares, as under Maelstrom every node runs on one machine.
 *
 * <p>On the wire. A request sent so carries {@code "several_ways": {"answer": WAYS,
 * "sent": NANOS}}, the ways to answer it (direct, relayed or both) and when it was sent;
 * its copies through peers go as
 * {@code {"type": "relay", "from": ..., "to": ..., "message": BODY}}, which a peer passes on
 * once, to a node, when it came from the node it names as {@code from}. The answer says in
 * {@code "came_direct"} whether the request's direct copy had come. Both fields are taken
 * off before a handler or an RPC's caller sees the body.
 */
final class Relaying {

    /** The type of a message a peer passes on. */
    static final String TYPE = "relay";
    /** On a request: it went several ways, to be handled once and answered the ways it names. */
    static final String SEVERAL_WAYS = "several_ways";
    /** On the answer to such a request: whether its direct copy had come. */
    static final String CAME_DIRECT = "came_direct";
    /** How often a request to a silent peer tries every way. */
    static final Duration PROBE = Duration.ofSeconds(3);
    /** How long a silent peer may answer no way at all before requests to it stop going through others. */
    static final Duration GIVE_UP = Duration.ofSeconds(1);
    /** How long a request that came several ways is remembered, and how late a copy of one may come. */
    static final Duration KEEP = Duration.ofSeconds(5);

    /** The ways a message goes: directly, through the other peers, or both. */
    enum Ways {
        DIRECT, RELAYED, BOTH;

        boolean direct() {
            return this != RELAYED;
        }

        boolean relayed() {
            return this != DIRECT;
        }

        /** The ways that work, as far as {@code direct} says: null when unknown. */
        static Ways known(Boolean direct) {
            return direct == null ? BOTH : direct ? DIRECT : RELAYED;
        }

        String json() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The ways {@code json} names; both for anything else. */
        static Ways of(String json) {
            for (Ways ways : values()) if (ways.json().equals(json)) return ways;
            return BOTH;
        }
    }

    /** How a request to a silent peer goes, and how it asks to be answered. */
    record Plan(Ways request, Ways answer) {}

    /** What this node knows of the ways to and from one peer; guarded by itself. */
    private static final class Link {
        /** When the oldest RPC to it that no direct answer followed was sent; -1 when none. */
        long unansweredSince = -1;
        /** Whether requests sent directly reach it, and its answers come directly; null: unknown. */
        Boolean requestsArrive;
        Boolean answersArrive;
        /** When a request last went, and asked to be answered, both ways. */
        long probedAt = System.nanoTime() - PROBE.toNanos();
        /** When it last answered, any way. */
        long answeredAt = System.nanoTime() - PROBE.toNanos();

        boolean silent(long now, long after) {
            return unansweredSince >= 0 && now - unansweredSince >= after;
        }
    }

    /** A request that came several ways: whether its direct copy came, the ways to answer it, and when its first copy came. */
    record Came(boolean direct, Ways answer, long firstAt) {}

    /** How long an RPC to a peer may go without a direct answer; negative: relaying is off. */
    private volatile long afterNanos = -1;
    private final Map<String, Link> links = new ConcurrentHashMap<>();
    /** When this process started: a copy sent before is dropped. */
    private final long startedAt = System.nanoTime();
    /** Requests that came several ways within {@link #KEEP}, by sender and msg_id, in the order their first copies came. */
    private final LinkedHashMap<String, Came> cameSeveralWays = new LinkedHashMap<>(); // guarded by itself

    /** The {@code several_ways} of a request sent now, to be answered the {@code answer} ways. */
    static ObjectNode stamp(Ways answer) {
        return Json.NODES.objectNode().put("answer", answer.json()).put("sent", System.nanoTime());
    }

    void relayAfter(Duration silence) {
        afterNanos = silence.toNanos();
    }

    private Link link(String peer) {
        return links.computeIfAbsent(peer, p -> new Link());
    }

    /**
     * How an RPC to {@code peer} sent now goes: null for directly alone, as always while
     * relaying is off or the peer is not silent. Notes that one goes to it.
     */
    Plan plan(String peer, long now) {
        long after = afterNanos;
        if (after < 0) return null;
        Link link = link(peer);
        synchronized (link) {
            boolean silent = link.silent(now, after);
            if (link.unansweredSince < 0) link.unansweredSince = now;
            if (!silent) return null;
            if (now - link.probedAt >= PROBE.toNanos()) {
                link.probedAt = now;
                return new Plan(Ways.BOTH, Ways.BOTH);
            }
            if (now - link.answeredAt >= GIVE_UP.toNanos()) return null; // no way works
            return new Plan(Ways.known(link.requestsArrive), Ways.known(link.answersArrive));
        }
    }

    /**
     * The peers to relay through to {@code dest} a message that goes {@code ways}: for one
     * that goes both ways (a probe, or its answer), every other peer; else the one other
     * peer likeliest to pass it on: first one whose answers said this node's requests came
     * directly, then one not silent, then one not known to be out of reach, the latest to
     * answer first.
     */
    List<String> through(String dest, List<String> peers, Ways ways) {
        List<String> others = peers.stream().filter(p -> !p.equals(dest)).toList();
        if (ways == Ways.BOTH) return others;
        long now = System.nanoTime();
        return others.stream().map(peer -> relayFor(peer, now)).filter(Objects::nonNull)
                .max(Comparator.comparingInt(RelayPeer::tier).thenComparingLong(RelayPeer::answeredAt))
                .map(r -> List.of(r.peer())).orElse(List.of());
    }

    /** A peer to relay through: how likely to pass a message on (higher is likelier), and when it last answered. */
    private record RelayPeer(String peer, int tier, long answeredAt) {}

    /** {@code peer} as one to relay through, or null when this node's requests are known not to reach it. */
    private RelayPeer relayFor(String peer, long now) {
        Link link = links.get(peer);
        if (link == null) return new RelayPeer(peer, 1, now); // never asked: as likely as one that answers
        synchronized (link) {
            if (Boolean.FALSE.equals(link.requestsArrive)) return null;
            int tier = Boolean.TRUE.equals(link.requestsArrive) ? 2 : link.silent(now, afterNanos) ? 0 : 1;
            return new RelayPeer(peer, tier, link.answeredAt);
        }
    }

    /**
     * An answer came from {@code peer}, {@code direct}ly or through another, saying whether
     * the request's direct copy had come ({@code cameDirect}, null for a request sent one
     * way); {@code first}: it is the first answer to its request.
     */
    void answered(String peer, boolean direct, Boolean cameDirect, boolean first) {
        if (afterNanos < 0) return;
        Link link = link(peer);
        synchronized (link) {
            link.answeredAt = System.nanoTime();
            if (cameDirect != null) link.requestsArrive = cameDirect;
            if (direct) link.answersArrive = true;
            else if (first) link.answersArrive = false; // the direct copy, if any, was not there first
            if (direct && !Boolean.FALSE.equals(cameDirect)) link.unansweredSince = -1; // a direct round trip
        }
    }

    /**
     * A copy of a request that came several ways, sent at {@code sentAt}, to be answered the
     * {@code answer} ways: true for the first copy, which is handled; false for a later one,
     * which only notes that the direct copy came, if it is that, and for one sent too long
     * ago or before this process started (see above).
     */
    boolean firstCopy(String src, long msgId, boolean direct, Ways answer, long sentAt) {
        long now = System.nanoTime();
        if (sentAt - startedAt < 0 || now - sentAt > KEEP.toNanos()) return false;
        String key = key(src, msgId);
        synchronized (cameSeveralWays) {
            var oldest = cameSeveralWays.values().iterator();
            while (oldest.hasNext() && now - oldest.next().firstAt() > KEEP.toNanos()) oldest.remove();
            Came seen = cameSeveralWays.get(key);
            if (seen == null) cameSeveralWays.put(key, new Came(direct, answer, now));
            else if (direct) cameSeveralWays.put(key, new Came(true, seen.answer(), seen.firstAt()));
            return seen == null;
        }
    }

    /**
     * For an answer to {@code dest}'s request {@code msgId}: null when the request came one
     * way; else the ways to answer, and whether its direct copy came.
     */
    Came came(String dest, long msgId) {
        synchronized (cameSeveralWays) {
            return cameSeveralWays.get(key(dest, msgId));
        }
    }

    /** A request's key among those that came several ways: its sender's id and its msg_id. */
    private static String key(String src, long msgId) {
        return src + " " + msgId;
    }
}
