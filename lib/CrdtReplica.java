package lib;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/**
 * One node's replica of a {@link Crdt}: its state, its journal, and what it knows of
 * each peer it gossips with. Driven by the caller with the time ({@link System#nanoTime}),
 * it sends through the given sender, under its own lock, so that the messages to a peer
 * leave in the order they were made.
 *
 * <p>State. Each node numbers its own updates 0, 1, 2, ...: update k of origin n is a
 * delta, and the state is the join of every delta held. Per origin a node holds a prefix:
 * {@code known[n]} says it holds origin n's deltas 0 to known[n] - 1 (all joined in), and
 * that vector is what each of its messages carries as its acknowledgement. A {@link Run}
 * is origin n's deltas {@code from} to {@code to - 1} joined into one; a receiver whose
 * prefix reaches {@code from} joins it in and extends its prefix to {@code to}, and one
 * whose prefix does not yet reach {@code from} (a run after a lost one) leaves it, as if
 * it were lost. For {@link Crdt.Deltas#CUMULATIVE} deltas a run always starts at 0: the
 * newest delta holds all the others.
 *
 * <p>Who talks to whom. The first node is the hub, linked to every other; every other
 * node is a leaf, linked to the hub alone. A leaf sends its own updates to the hub, which
 * relays them with its own to every leaf that lacks them: each node's sends are batched,
 * at most one message per link per batch period ({@link Crdt.Timing}), and only to a peer
 * that lacks something ({@code sent}, per link, is how much of each origin went there).
 * Nothing changes, nothing is sent.
 *
 * <p>Acknowledgement and resending. Every message carries the sender's prefix vector,
 * which confirms to the receiver what reached the sender ({@code confirmed}, per link).
 * A node that took news from a peer owes it that confirmation: it rides on the next
 * message to that peer, or goes bare after {@code ackAfter} if none went by then. What a
 * peer has not confirmed {@code resendAfter} after it was sent is sent again, from what
 * the peer confirmed on, asking for an answer at once. A receiver answers such a
 * message, and one whose runs start beyond its prefix (it missed one), at once, with
 * what the peer lacks (from what it confirmed) and, when it missed one, asking in turn
 * for an answer: the peer's answer then starts from the prefix just confirmed.
 *
 * <p>Why no update is lost and every replica converges. A node's own update is
 * journaled before {@link #update} returns, and a peer's run before anything else
 * happens under the lock, so before any message carries a prefix that covers it: a
 * prefix a node ever sent is never more than its journal holds. So what a peer confirmed
 * it has, through kills too, and what it has not confirmed is sent to it again until it
 * does, over every partition that heals. Delivery order and repetition cannot matter: a
 * run is joined in only where it extends the prefix with nothing missing before it, and
 * joining is idempotent, so a repeated run changes nothing and an out-of-order one waits
 * for the resend. Each leaf's updates reach the hub, and the hub's state reaches every
 * leaf; so once the network heals and a resend period and a hub batch have passed with
 * no new update, every replica holds every delta that any acknowledged update made.
 *
 * <p>Restarts. A restarted node reloads its journal (rewritten then as its state
 * alone) and starts with every link at nothing sent or confirmed; its first message to
 * each peer carries all it holds and asks for an answer at once, which brings back what
 * the peer holds that it lacks. A node numbers its next update after the last its
 * journal holds, so its numbers never repeat.
 *
 * @param <D> a delta of the lattice
 */
public final class CrdtReplica<D> {

    /**
     * Deltas {@code from} to {@code to - 1} of node {@code origin} (its index in the
     * cluster), joined: on the wire and in the journal.
     */
    public record Run(int origin, int from, int to, JsonNode delta) {
    }

    /**
     * The message between replicas: runs the receiver may lack, the sender's prefix per
     * origin (its acknowledgement), and whether it asks for an answer at once.
     */
    public record Gossip(List<Run> runs, int[] known, boolean answerNow) {
    }

    /** Deltas {@code from} to {@code to - 1} of one origin as held: a delta may cover more than its numbers. */
    private record Segment<D>(int from, int to, D delta) {
    }

    /** A message with runs sent to a peer at {@code at}, which the peer confirms once its prefix reaches {@code upTo}. */
    private record Sent(long at, int[] upTo) {
    }

    /** What this node knows of one peer. */
    private final class Link {
        final String peer;
        /** Per origin: deltas below this went to the peer, or need not. */
        final int[] sent = new int[known.length];
        /** Per origin: the peer's prefix as it last told us (never beyond ours). */
        final int[] confirmed = new int[known.length];
        /** Messages with runs the peer has not confirmed yet, oldest first. */
        final Deque<Sent> unconfirmed = new ArrayDeque<>();
        /** When we took news from the peer that no message has confirmed yet; NEVER when none. */
        long owedSince = NEVER;
        /** Whether the next message asks for an answer at once: the first after a restart. */
        boolean greet;

        Link(String peer, boolean greet) {
            this.peer = peer;
            this.greet = greet;
        }

        boolean hasNews() {
            for (int o = 0; o < known.length; o++) if (known[o] > sent[o]) return true;
            return false;
        }

        void confirm(int[] peerKnown) {
            for (int o = 0; o < known.length; o++) {
                confirmed[o] = Math.max(confirmed[o], Math.min(peerKnown[o], known[o]));
                sent[o] = Math.max(sent[o], confirmed[o]);
            }
            while (!unconfirmed.isEmpty() && covered(unconfirmed.peekFirst().upTo())) unconfirmed.removeFirst();
        }

        private boolean covered(int[] upTo) {
            for (int o = 0; o < upTo.length; o++) if (confirmed[o] < upTo[o]) return false;
            return true;
        }

        boolean resendDue(long now) {
            return !unconfirmed.isEmpty() && now - unconfirmed.peekFirst().at() >= resendAfter;
        }

        boolean ackDue(long now) {
            return owedSince != NEVER && now - owedSince >= ackAfter;
        }
    }

    private static final long NEVER = Long.MIN_VALUE;

    private final Crdt.Lattice<D> lattice;
    private final boolean cumulative;
    private final int self;
    private final Disk.Journal<Run> journal;
    private final BiConsumer<String, Gossip> sender;
    private final long batch;
    private final long ackAfter;
    private final long resendAfter;
    /** Per origin, the join of every delta held. */
    private final List<D> whole = new ArrayList<>();
    /** Per origin, its deltas as held, covering 0 to known - 1 without a hole (incremental deltas only). */
    private final List<List<Segment<D>>> segments = new ArrayList<>();
    private final int[] known;
    private final Map<String, Link> links = new LinkedHashMap<>();
    private long lastFlush;

    /**
     * The replica of node {@code me} of {@code ids}, with what {@code journal} holds from
     * an earlier start of this node, sending through {@code sender}; {@code now} is the
     * time.
     */
    public CrdtReplica(Crdt.Lattice<D> lattice, Crdt.Timing timing, String me, List<String> ids,
                       Disk.Journal<Run> journal, BiConsumer<String, Gossip> sender, long now) {
        this.lattice = lattice;
        this.cumulative = lattice.deltas() == Crdt.Deltas.CUMULATIVE;
        this.self = ids.indexOf(me);
        this.journal = journal;
        this.sender = sender;
        boolean hub = self == 0;
        this.batch = (hub ? timing.hubBatch() : timing.leafBatch()).toNanos();
        this.ackAfter = timing.ackAfter().toNanos();
        this.resendAfter = timing.resendAfter().toNanos();
        this.known = new int[ids.size()];
        for (int o = 0; o < ids.size(); o++) {
            whole.add(lattice.bottom());
            segments.add(new ArrayList<>());
        }
        this.lastFlush = now - batch;
        List<Run> held = journal.records();
        for (Run run : held) {
            D delta = readable(run);
            if (delta != null && startsWithin(run, known)) store(run.origin(), run.to(), delta);
        }
        List<Run> state = runsHeld();
        if (held.size() > state.size()) journal.replace(state);
        if (!held.isEmpty()) Node.log("crdt: restored %d runs from the journal, prefixes %s", held.size(), Arrays.toString(known));
        for (String peer : hub ? ids.subList(1, ids.size()) : ids.subList(0, 1)) {
            if (!peer.equals(me)) links.put(peer, new Link(peer, !held.isEmpty()));
        }
    }

    /**
     * Applies this node's update, {@code change} of its own contribution, and journals it
     * before returning; sends it on if its batch is due. A change that adds nothing to
     * the state is dropped: it takes no number and no message.
     */
    public synchronized void update(UnaryOperator<D> change, long now) {
        D own = whole.get(self);
        D delta = change.apply(own);
        D joined = lattice.join().apply(own, delta);
        if (joined.equals(own)) return;
        int number = known[self];
        Run run = cumulative ? new Run(self, 0, number + 1, Binding.write(joined))
                : new Run(self, number, number + 1, Binding.write(delta));
        journal.append(run); // before the caller acknowledges it, and before any prefix covers it
        store(self, number + 1, delta);
        flushIfDue(now);
    }

    /** Every origin's contribution, in node order. */
    public synchronized List<D> contributions() {
        return List.copyOf(whole);
    }

    /**
     * Takes in a message from {@code src}: journals and joins the runs that extend this
     * replica's prefixes, takes the sender's confirmation, and answers at once when asked
     * or when a run came after one this replica lacks. A message from a node that is not
     * a peer of this one, or whose prefix vector does not fit the cluster, is dropped.
     */
    public synchronized void receive(String src, Gossip gossip, long now) {
        Link link = links.get(src);
        if (link == null || gossip.known() == null || gossip.known().length != known.length || gossip.runs() == null) {
            Node.log("crdt: dropping gossip from %s that does not fit this replica's cluster or links", src);
            return;
        }
        int[] reach = known.clone();
        var taken = new ArrayList<Run>();
        var deltas = new ArrayList<D>();
        boolean missed = false;
        for (Run run : gossip.runs()) {
            if (run == null || run.origin() < 0 || run.origin() >= known.length || run.to() <= reach[run.origin()]) continue;
            if (!startsWithin(run, reach)) { // a run before it was lost: the answer asks for it
                missed = true;
                continue;
            }
            D delta = readable(run);
            if (delta == null) continue;
            taken.add(run);
            deltas.add(delta);
            reach[run.origin()] = run.to();
        }
        journal.append(taken); // before any prefix that covers them leaves
        for (int i = 0; i < taken.size(); i++) store(taken.get(i).origin(), taken.get(i).to(), deltas.get(i));
        link.confirm(gossip.known());
        if (!taken.isEmpty() && link.owedSince == NEVER) link.owedSince = now;
        if (gossip.answerNow() || missed) send(link, true, missed, now);
        flushIfDue(now);
    }

    /** Sends what is due at {@code now}: a batch, resends, confirmations owed. */
    public synchronized void tick(long now) {
        flushIfDue(now);
        for (Link link : links.values()) {
            if (link.resendDue(now)) send(link, true, true, now);
            else if (link.ackDue(now)) send(link, false, false, now);
        }
    }

    /** Whether {@code run} starts within the prefix {@code reach} and ends beyond it (a cumulative run starts at 0). */
    private boolean startsWithin(Run run, int[] reach) {
        return run.from() >= 0 && run.from() <= reach[run.origin()] && run.to() > reach[run.origin()]
                && (!cumulative || run.from() == 0);
    }

    /** The run's delta, or null (logged) when it does not read as one. */
    private D readable(Run run) {
        try {
            if (run.delta() == null) throw new IllegalArgumentException("no delta");
            return Binding.read(run.delta(), lattice.type());
        } catch (IllegalArgumentException e) {
            Node.log("crdt: skipping a run whose delta does not read: %s (%s)", run, e.getMessage());
            return null;
        }
    }

    /** Joins {@code delta}, which extends origin {@code o}'s prefix to {@code to}, into the state. */
    private void store(int o, int to, D delta) {
        whole.set(o, lattice.join().apply(whole.get(o), delta));
        if (!cumulative) segments.get(o).add(new Segment<>(known[o], to, delta));
        known[o] = to;
    }

    /** The state as runs, one per segment held (one per origin for cumulative deltas). */
    private List<Run> runsHeld() {
        var runs = new ArrayList<Run>();
        for (int o = 0; o < known.length; o++) {
            if (cumulative) {
                if (known[o] > 0) runs.add(new Run(o, 0, known[o], Binding.write(whole.get(o))));
            } else {
                for (Segment<D> s : segments.get(o)) runs.add(new Run(o, s.from(), s.to(), Binding.write(s.delta())));
            }
        }
        return runs;
    }

    /** Origin {@code o}'s deltas from {@code start} (or from before it) to the newest, as one run. */
    private Run runFrom(int o, int start) {
        if (cumulative) return new Run(o, 0, known[o], Binding.write(whole.get(o)));
        List<Segment<D>> held = segments.get(o);
        int first = held.size() - 1;
        while (first > 0 && held.get(first).from() > start) first--;
        D joined = held.get(first).delta();
        for (int i = first + 1; i < held.size(); i++) joined = lattice.join().apply(joined, held.get(i).delta());
        return new Run(o, held.get(first).from(), known[o], Binding.write(joined));
    }

    /** Sends every peer that lacks something what it lacks, if this node's batch period has passed since its last. */
    private void flushIfDue(long now) {
        if (now - lastFlush < batch) return;
        boolean flushed = false;
        for (Link link : links.values()) {
            if (link.hasNews()) {
                send(link, false, link.greet, now);
                flushed = true;
            }
        }
        if (flushed) lastFlush = now;
    }

    /**
     * Sends the peer this node's prefix and each origin's deltas it was not sent yet or,
     * {@code fromConfirmed}, all it has not confirmed: that message stands for every
     * earlier one the peer has not confirmed.
     */
    private void send(Link link, boolean fromConfirmed, boolean answerNow, long now) {
        int[] from = fromConfirmed ? link.confirmed : link.sent;
        var runs = new ArrayList<Run>();
        for (int o = 0; o < known.length; o++) if (known[o] > from[o]) runs.add(runFrom(o, from[o]));
        if (!runs.isEmpty()) {
            if (fromConfirmed) link.unconfirmed.clear();
            link.unconfirmed.addLast(new Sent(now, known.clone()));
        }
        System.arraycopy(known, 0, link.sent, 0, known.length);
        link.owedSince = NEVER;
        link.greet = false;
        sender.accept(link.peer, new Gossip(runs, known.clone(), answerNow));
    }
}
