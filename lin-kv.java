///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES lib/*.java
//DESCRIPTION Maelstrom lin-kv, the Raft chapter: a linearizable key-value store on Raft; writes in one round, reads on a leader lease.

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import lib.Cli;
import lib.Disk;
import lib.Node;
import lib.RaftLog;
import lib.Request;
import lib.RpcError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Maelstrom's lin-kv workload (its Raft chapter): read, write and cas on a map every node
 * replicates with Raft, as the paper's figure 2 gives it (Ongaro and Ousterhout, "In
 * Search of an Understandable Consensus Algorithm"), with pre-vote and check-quorum from
 * Ongaro's thesis (sections 9.6 and 6.2) so that a node cut off and healed does not
 * depose a working leader, and a leader cut off steps down and says so; reads are served
 * on a leader lease (the thesis, section 6.4.1).
 *
 * <p>The path of a request. A follower that knows its term's leader forwards each client
 * request to it at once, in a message of its own, and relays the answer; one that knows
 * none answers error 11 at once. The leader puts a write in the log as an entry of its
 * own the moment it arrives and sends it at once to as many followers as a majority needs
 * beside itself (those that answered last), not to all: the others get it with their next
 * heartbeat, one AppendEntries every two thirds of an election timeout to a follower
 * that was sent nothing meanwhile (a heartbeat a third of one late costs a pre-vote, which
 * fails while the leader and another follower keep their promises). The entry commits on
 * their answers, and the leader answers. So a write costs one round trip to one follower
 * of three, and two messages more when it came through a follower. A follower has one
 * AppendEntries in flight at a time: what comes
 * meanwhile goes in the next, sent when the answer comes, or once the one in flight has
 * waited an election timeout (a late answer still counts). An entry still not committed
 * {@link #HEDGE} after it was sent (its followers slow, or cut off) goes to every
 * follower. A follower whose log does not match is sent again at once, from its hint
 * (just past its log, or the first entry of the conflicting term).
 *
 * <p>Reads, and cas whose expected value is not there (which change nothing, so they are
 * reads too), are answered by the leader from its map at a read point, with no entry: the
 * moment, under its lock, at which its lease holds (below), taking the index of its last
 * entry as the read index; it answers once it has applied the log to there, which takes
 * no message when nothing is in flight and at most the round trip under way otherwise. A
 * cas whose expected value is there goes in the log as a write does (the map decides it
 * again when the entry is applied). A leader whose lease has lapsed sends every follower
 * an AppendEntries and takes the read point when answers renew it.
 *
 * <p>The lease. A follower that accepts an AppendEntries of the current term (whatever
 * the consistency check says) promises that leader, from that moment for the shortest
 * election timeout E, not to help elect another: it grants no vote and no pre-vote, and
 * takes no term from a RequestVote (the thesis, section 4.2.3), and it stands for no
 * election, as its own election timeout, reset then, is at least E. A leader never votes.
 * A restarted node has forgotten what it promised, so it keeps the promise for E from its
 * start, which comes after anything it promised before; unless it finds nothing on disk,
 * as then it never accepted an AppendEntries (which writes the term first). The leader's
 * lease holds while a majority, itself included, is bound by such promises: followers
 * whose answers in its term came to AppendEntries it sent less than E ago. A promise runs
 * from the follower's receipt, after the leader's send, and both are timed by one
 * monotonic clock, this machine's (Maelstrom and the bench run every node on one
 * machine): where nodes ran on machines of their own, the lease would have to allow for
 * the drift between their clocks. While the lease holds, no node of a later term has been
 * elected: each election needs a vote from that majority, and none of it gave one in a
 * later term, the leader never, a follower neither before its receipt (it answered in
 * this term) nor after (its promise). So no entry of a later term is committed either.
 *
 * <p>Availability. A node that knows of no leader of its term answers error 11 at once
 * (definite: nothing was done). A follower that hears from no leader for a randomized
 * election timeout runs a pre-vote: peers agree only if they made no promise within E
 * (above), and only then does it raise its term and ask for votes; until then it goes on
 * forwarding to the leader it knows, which may only be slow. A new cluster (nothing on
 * disk) does not wait: the first node of init's list stands at once, the others after an
 * election timeout, so a leader is there a few messages after init, with no split vote. A
 * leader that has not heard from a majority for the longest election timeout steps down
 * and answers 11 from then on; the longest, not the shortest, as by then every follower
 * that stopped hearing from it has timed out too, and cold followers (just started, their
 * code not yet compiled) may answer a new leader slower than the shortest. A read or cas
 * that finds no lease for an election timeout is failed with 11 (a read, or a cas
 * answered as one, changed nothing). A write that reached the leader's log is never
 * answered with an error: if its entry is lost in a change of leader, its client times
 * out, and the outcome stays unknown, as it is. No node answers a client later than
 * {@link #ANSWER_WITHIN} after its request: Maelstrom's lin-kv client gives up after a
 * second, and an answer to a client that gave up ends the node's output.
 *
 * <p>Partitions that cut some ways and not others. In a majorities ring each node hears
 * one peer and is heard by the other, so no two nodes complete a round trip directly, and
 * no leader could hold a majority. But each pair still has a way round through the third:
 * an RPC to a peer that has left one unanswered for a third of E goes also through the
 * other peers, and its answer comes back the same ways ({@link Node#relayWhenSilent}). A
 * copy only comes later. The node library handles each request once, however many ways
 * it came, and drops a copy sent before its process started or too long ago to tell
 * apart (lib/Relaying), so a forwarded request is taken once, by one process, as the
 * argument below needs; and Raft takes its own messages late, twice or out of order (the
 * paper's model of the network), so nothing of the argument changes.
 *
 * <p>Why it is linearizable. Raft's guarantees (figure 3) hold here as in the paper:
 * votes go to candidates whose logs are at least as up to date, a leader commits only an
 * entry of its own term held by a majority (earlier ones with it), and a follower takes
 * an entry only after the consistency check, deletes only from a real conflict on, and
 * commits no further than the leader's commit index and its own last new entry. Refusing
 * votes changes none of this: it only elects fewer leaders. So the committed entries form
 * one prefix that only grows, the same at every node, and every node applies them in that
 * order to the same map, each once. Writes: each is one command in one entry, made once
 * by the leader it reached, and its linearization point is the moment its entry is first
 * committed (held by a majority): after the request arrived, and before the answer, which
 * goes out when the entry is applied, known committed. An entry is committed no later
 * than the one after it (whatever holds the later holds the earlier), so these points
 * order the writes as the log does, and each answer is what the map gives in that order.
 * Reads: a read answered from the map through index k, with read index r at the read
 * point z (so k is at least r), is linearized at p, the later of z and the moment entry k
 * was committed. Entries up to k were committed by p. No entry after k was: at z the
 * lease held, so every entry committed by then is in this leader's log (figure 3's Leader
 * Completeness for earlier terms; this leader made its term's), hence at or before r,
 * which is at most k; and an entry after k is committed no earlier than entry k. So the
 * map through k is exactly the writes linearized before p, and p lies between the
 * request's arrival (before z) and its answer (after both). The read point waits for the
 * leader's entry of its term too (r is at least its index), so a new leader answers reads
 * only once it knows what was committed before it.
 *
 * <p>A restart. Figure 2's persistent state, currentTerm, votedFor and the log, is on
 * disk (the node's {@link Disk} folder for this test) before any message that
 * depends on it leaves: a vote, an answer to an AppendEntries, a leader's AppendEntries
 * and its own count towards a majority. Each change is one journal write under the Raft
 * lock, so a kill, which can take every node at once, loses nothing a peer was told. A
 * restarted node takes its term, vote and log back and starts as a follower with nothing
 * committed or applied, as a node does in the paper, and keeps the promise above for E;
 * the leader's commit index brings it back to where it was, and it re-applies the log to
 * an empty map. Requests it held are gone with their clients' answers, which time out;
 * their tickets were drawn at random, so no later request is taken for one of them. The
 * log is kept whole, on disk as in memory (no snapshots: the paper's section 7), so what
 * is on disk is what the log holds; at restart each journal is rewritten to just that.
 *
 * <p>Answers to this node's own requests (votes, AppendEntries) are handled on threads of
 * their own, never on the thread that sent the request, which holds the Raft lock: so a
 * leader's burst of AppendEntries is sent in the term it began in, by a leader.
 */
@Command(name = "lin-kv", mixinStandardHelpOptions = true,
        description = "Maelstrom lin-kv, the Raft chapter: a linearizable key-value store on Raft; writes in one round, reads on a leader lease.")
class LinKvNode implements Runnable {

    @Option(names = "--election-timeout", description = "Shortest election timeout in milliseconds, and the lease's length; each is drawn from it to twice it (default ${DEFAULT-VALUE}).")
    long electionMillis = 400;

    /** How often the clock checks the timeouts. */
    static final Duration TICK = Duration.ofMillis(10);
    /** How long a new entry waits for the followers it went to before it goes to every follower. */
    static final Duration HEDGE = Duration.ofMillis(20);
    /** At most this many entries in one AppendEntries: a follower far behind catches up over a few round trips. */
    static final int MAX_ENTRIES = 500;
    /**
     * No client is answered later than this after its request: Maelstrom's lin-kv client
     * waits a second (ten mean latencies when that is longer), and then may be gone, and
     * an answer to a client that is gone ends this node's output. The margin covers the
     * answer's way back.
     */
    static final Duration ANSWER_WITHIN = Duration.ofMillis(800);

    // Client requests, which are also the operations in the log, there as ["r", key] and so on.

    /** A client's operation on one key. */
    sealed interface Op {
        JsonNode key();

        @JsonCreator
        static Op of(List<JsonNode> op) {
            if (op.isEmpty()) throw new IllegalArgumentException("an operation is [f, key, ...], not " + op);
            return switch (op.get(0).asText() + "/" + op.size()) {
                case "r/2" -> new Read(op.get(1));
                case "w/3" -> new Write(op.get(1), op.get(2));
                case "cas/4" -> new Cas(op.get(1), op.get(2), op.get(3));
                default -> throw new IllegalArgumentException("unknown operation " + op);
            };
        }
    }

    record Read(JsonNode key) implements Op {
        @JsonValue
        List<Object> json() {
            return Arrays.asList("r", key);
        }
    }

    record ReadOk(JsonNode value) {}

    record Write(JsonNode key, JsonNode value) implements Op {
        @JsonValue
        List<Object> json() {
            return Arrays.asList("w", key, value);
        }
    }

    record WriteOk() {}

    record Cas(JsonNode key, JsonNode from, JsonNode to) implements Op {
        @JsonValue
        List<Object> json() {
            return Arrays.asList("cas", key, from, to);
        }
    }

    record CasOk() {}

    /** A client's request that a follower forwards to its leader, which answers it as its own client's. */
    record Forward(Op op) {}

    /** A client's operation, named by the node that took it and a ticket unique to that node. */
    record Command(String origin, long ticket, Op op) {}

    /** A log entry: one write or cas; a new leader's first entry holds none. */
    record Entry(long term, List<Command> commands) implements RaftLog.Entry {}

    // The RPCs of figure 2.

    record AppendEntries(long term, String leaderId, long prevLogIndex, long prevLogTerm, List<Entry> entries,
            long leaderCommit) {}

    /** {@code nextIndex} is where the leader goes on: past the last entry matched on success, the back-off point on failure. */
    record AppendEntriesOk(long term, boolean success, long nextIndex) {}

    /** A vote, or with {@code preVote} the question whether the voter would give one, changing nothing. */
    record RequestVote(long term, String candidateId, long lastLogIndex, long lastLogTerm, boolean preVote) {}

    record RequestVoteOk(long term, boolean voteGranted) {}

    /** The map the log builds. */
    static final class Store {
        private final Map<JsonNode, JsonNode> values = new HashMap<>();

        /** Applies {@code op}; returns its answer, a reply record or the RpcError to answer with. */
        Object apply(Op op) {
            JsonNode current = values.get(op.key());
            return switch (op) {
                case Read r -> current == null ? missing(r) : new ReadOk(current);
                case Write w -> {
                    values.put(w.key(), w.value());
                    yield new WriteOk();
                }
                case Cas c -> {
                    RpcError refused = refuses(c);
                    if (refused != null) yield refused;
                    values.put(c.key(), c.to());
                    yield new CasOk();
                }
            };
        }

        /** The error {@code cas} fails with on the map as it is, or null if it would succeed. */
        RpcError refuses(Cas cas) {
            JsonNode current = values.get(cas.key());
            if (current == null) return missing(cas);
            if (current.equals(cas.from())) return null;
            return new RpcError(RpcError.PRECONDITION_FAILED, "key " + cas.key() + " holds " + current + ", not " + cas.from());
        }

        private static RpcError missing(Op op) {
            return new RpcError(RpcError.KEY_DOES_NOT_EXIST, "no key " + op.key());
        }
    }

    // What Raft keeps on disk.

    /** currentTerm and votedFor, as they became; no vote is "", as the binding reads no null into a String. */
    record TermAndVote(long term, String votedFor) {
        static TermAndVote of(long term, String votedFor) {
            return new TermAndVote(term, votedFor == null ? "" : votedFor);
        }

        String vote() {
            return votedFor.isEmpty() ? null : votedFor;
        }
    }

    /** An entry put at {@code index}, in place of any there and after it. */
    record Placed(long index, Entry entry) {}

    enum Role { FOLLOWER, CANDIDATE, LEADER }

    /** A request this node took, with when: it is answered only within {@link #ANSWER_WITHIN} of then. */
    record Taken(Request<?> request, Op op, long at) {
        /** Answers with {@code answer}, a reply record or an RpcError (an ObjectNode is a reply as it is), unless it is too late. */
        void answer(Object answer) {
            long waited = System.nanoTime() - at;
            if (waited > ANSWER_WITHIN.toNanos()) {
                Node.log("not answering %s %d ms after its request, as its client may have given up", request, waited / 1_000_000);
            } else if (answer instanceof RpcError error) {
                request.fail(error);
            } else {
                request.reply(answer);
            }
        }

        boolean olderThan(long nanos, long now) {
            return now - at > nanos;
        }
    }

    /** A read (or cas) waiting at the leader for the log to be applied up to its read index. */
    record PendingRead(Taken taken, long readIndex) {}

    /** What a leader keeps of one follower. */
    static final class Follower {
        /** Figure 2's nextIndex and matchIndex. */
        long nextIndex;
        long matchIndex;
        /** When it last answered in this term (System.nanoTime). */
        long answeredAt;
        /** When the latest AppendEntries it answered in this term was sent: its promise runs from after then. */
        long promisedSince;
        /** When it was last sent an AppendEntries, and whether that one is still unanswered. */
        long sentAt;
        boolean inFlight;
        /** The last index this leader wants it to have at once; what is after goes with the heartbeats. */
        long wanted;

        Follower(long nextIndex, long now, long lapsed) {
            this.nextIndex = nextIndex;
            this.answeredAt = now; // a fresh start for check-quorum
            this.promisedSince = lapsed;
            this.sentAt = lapsed;
        }

        /**
         * Whether it may be sent an AppendEntries now: none is in flight, or the one in
         * flight has waited {@code patience} (a cold or loaded follower may still answer it,
         * and the answer still counts, but it no longer holds the next one back).
         */
        boolean free(long now, long patience) {
            return !inFlight || now - sentAt >= patience;
        }

    }

    /** One node's Raft state and its rules, under one lock; the sections follow figure 2. */
    final class Raft {
        private final Node node;
        private final Store store = new Store();

        // Persistent state on all servers, on disk before it is told (see the header).
        private long currentTerm;
        private String votedFor;
        private final RaftLog<Entry> log = new RaftLog<>();
        private Disk.Journal<TermAndVote> termJournal;
        private Disk.Journal<Placed> logJournal;

        // Volatile state on all servers.
        private long commitIndex;
        private long lastApplied;

        // Volatile state on leaders, reinitialized after election.
        private final Map<String, Follower> followers = new LinkedHashMap<>();
        /** When the commit index last moved, or an entry was appended to a log all committed: the hedge counts from it. */
        private long commitProgressAt;
        /** Reads waiting for their read index to be applied, in the order of their read indexes. */
        private final Deque<PendingRead> reads = new ArrayDeque<>();
        /** Reads waiting for a lease to take their read point at. */
        private final List<Taken> unleased = new ArrayList<>();

        // Beyond figure 2: who leads, the timers, the votes counted, and the requests in the log.
        private Role role = Role.FOLLOWER;
        /** The leader of currentTerm, when known. */
        private String leaderId;
        /**
         * When this node last accepted an AppendEntries from a leader of its term, and so
         * promised it not to help elect another for E; at first, when this process started,
         * as an earlier one may have promised (see the header).
         */
        private long heardFromLeaderAt = System.nanoTime();
        private long electionDeadline;
        private final Set<String> votes = new HashSet<>();
        /** Counts pre-votes, so that answers to an earlier one are told apart. */
        private long preVoteRound;
        /** This node's requests in the log, by ticket, waiting for their entries to be applied. */
        private final Map<Long, Taken> waiting = new HashMap<>();
        /** Random at start, so that a restarted node's tickets are not those of its earlier entries. */
        private long nextTicket = ThreadLocalRandom.current().nextLong(Long.MAX_VALUE / 2);

        Raft(Node node) {
            this.node = node;
        }

        private long electionNanos() {
            return electionMillis * 1_000_000;
        }

        private int majority() {
            return node.nodeIds().size() / 2 + 1;
        }

        private void resetElectionDeadline() {
            electionDeadline = System.nanoTime() + electionNanos() + ThreadLocalRandom.current().nextLong(electionNanos());
        }

        /** At init: takes back what an earlier start of this node in this run left on disk. */
        synchronized void start() {
            Disk disk = Disk.open(node);
            termJournal = disk.journal("term", TermAndVote.class);
            logJournal = disk.journal("log", Placed.class);
            List<TermAndVote> terms = termJournal.records();
            if (!terms.isEmpty()) {
                TermAndVote last = terms.get(terms.size() - 1);
                currentTerm = last.term();
                votedFor = last.vote();
                if (terms.size() > 1) termJournal.replace(List.of(last));
            }
            logJournal.records().forEach(placed -> log.place(placed.index(), placed.entry()));
            if (logJournal.records().size() > log.lastIndex()) logJournal.replace(placed(1, log.lastIndex()));
            if (!terms.isEmpty()) Node.log("restarted in term %d, voted for %s, %d entries", currentTerm, votedFor, log.lastIndex());
            resetElectionDeadline();
            if (terms.isEmpty()) { // never accepted an AppendEntries nor voted: no promise to keep (see the header)
                heardFromLeaderAt = System.nanoTime() - electionNanos();
                if (node.id().equals(node.nodeIds().get(0))) electionDeadline = System.nanoTime();
            }
        }

        // Writes of the persistent state, each on disk when it returns.

        private void setTermAndVote(long term, String vote) {
            if (term == currentTerm && Objects.equals(vote, votedFor)) return;
            termJournal.append(TermAndVote.of(term, vote));
            currentTerm = term;
            votedFor = vote;
        }

        private void appendToLog(Entry entry) {
            long index = log.append(entry);
            logJournal.append(new Placed(index, entry));
        }

        /** Steps 3 and 4 of AppendEntries; returns the index of the last new entry. */
        private long mergeIntoLog(long prevIndex, List<Entry> entries) {
            long firstWritten = log.merge(prevIndex, entries);
            long lastNew = prevIndex + entries.size();
            logJournal.append(placed(firstWritten, lastNew));
            return lastNew;
        }

        /** The log's entries from {@code first} to {@code last}, as records of where they are. */
        private List<Placed> placed(long first, long last) {
            var placed = new ArrayList<Placed>();
            for (long index = first; index <= last; index++) placed.add(new Placed(index, log.get(index)));
            return placed;
        }

        // Clients' requests: a leader serves them, a follower forwards them to its leader.

        /** A request for {@code op}, from a client or forwarded by a follower. */
        synchronized void take(Request<?> request, Op op) {
            var taken = new Taken(request, op, System.nanoTime());
            if (role == Role.LEADER) {
                lead(taken);
            } else if (leaderId == null || node.nodeIds().contains(request.src())) {
                // No leader known, or a follower took this node for its leader: nothing was done.
                request.fail(new RpcError(RpcError.TEMPORARILY_UNAVAILABLE, "not the leader, and no leader known in term " + currentTerm));
            } else {
                node.rpc(leaderId, new Forward(op), JsonNode.class, ANSWER_WITHIN).whenComplete((answer, e) -> {
                    if (answer instanceof ObjectNode ok) taken.answer(ok.without(List.of("in_reply_to", "msg_id")));
                    else taken.answer(e != null && e.getCause() instanceof RpcError error ? error : new RpcError(RpcError.CRASH, "forwarding failed: " + e));
                });
            }
        }

        private void lead(Taken taken) {
            if (taken.op() instanceof Write) {
                propose(taken);
            } else if (leaseHolds(taken.at())) {
                readAt(taken, log.lastIndex());
            } else {
                unleased.add(taken);
                for (var peer : followers.entrySet()) {
                    if (peer.getValue().free(taken.at(), electionNanos())) sendAppend(peer.getKey(), peer.getValue(), taken.at());
                }
            }
        }

        /** Puts {@code taken} in the log as an entry of its own, and sends it where a majority needs it. */
        private void propose(Taken taken) {
            long ticket = nextTicket++;
            waiting.put(ticket, taken);
            if (commitIndex == log.lastIndex()) commitProgressAt = taken.at();
            appendToLog(new Entry(currentTerm, List.of(new Command(node.id(), ticket, taken.op()))));
            advanceCommitIndex(); // a cluster of one commits alone
            followers.entrySet().stream()
                    .sorted(Comparator.comparing((Map.Entry<String, Follower> f) -> !f.getValue().free(taken.at(), electionNanos())) // free ones first,
                            .thenComparing(f -> f.getValue().answeredAt, Comparator.reverseOrder())) // then the last to answer
                    .limit(majority() - 1)
                    .forEach(f -> want(f.getKey(), f.getValue(), taken.at()));
        }

        /** Sends {@code peer} what it lacks, up to this log's end, now or when its AppendEntries in flight is answered. */
        private void want(String peer, Follower follower, long now) {
            follower.wanted = log.lastIndex();
            if (follower.free(now, electionNanos())) sendAppend(peer, follower, now);
        }

        /** A read point: answers {@code taken} from the map once it is applied to {@code readIndex}. */
        private void readAt(Taken taken, long readIndex) {
            if (lastApplied >= readIndex) serve(taken);
            else reads.add(new PendingRead(taken, readIndex));
        }

        private void serve(Taken taken) {
            if (taken.op() instanceof Cas cas && store.refuses(cas) == null) propose(taken);
            else taken.answer(store.apply(taken.op())); // a read, or a cas failing as a read would see
        }

        /** Whether a majority, this node included, is bound by promises to this leader (see the header). */
        private boolean leaseHolds(long now) {
            long bound = followers.values().stream().filter(f -> now - f.promisedSince < electionNanos()).count();
            return role == Role.LEADER && bound + 1 >= majority();
        }

        /** Fails the reads this node holds as a leader: they did nothing, and it leads no more. */
        private void failReads(String why) {
            var error = new RpcError(RpcError.TEMPORARILY_UNAVAILABLE, why);
            reads.forEach(read -> read.taken().answer(error));
            unleased.forEach(taken -> taken.answer(error));
            reads.clear();
            unleased.clear();
        }

        // Rules for servers, all servers: apply what is committed; a higher term makes a follower.

        private void applyCommitted() {
            while (lastApplied < commitIndex) {
                for (Command command : log.get(++lastApplied).commands()) {
                    Object answer = store.apply(command.op());
                    if (!command.origin().equals(node.id())) continue;
                    Taken taken = waiting.remove(command.ticket());
                    if (taken != null) taken.answer(answer); // else forgotten, or taken before a restart
                }
            }
            while (!reads.isEmpty() && reads.peek().readIndex() <= lastApplied) serve(reads.poll().taken());
        }

        /** Becomes a follower of {@code term}, led by {@code leader} if known. */
        private void becomeFollower(long term, String leader) {
            if (term > currentTerm) setTermAndVote(term, null);
            if (role != Role.FOLLOWER || !Objects.equals(leaderId, leader)) {
                Node.log("term %d: follower of %s", currentTerm, leader);
            }
            if (role == Role.LEADER) failReads("no longer the leader in term " + currentTerm);
            role = Role.FOLLOWER;
            leaderId = leader;
            resetElectionDeadline();
        }

        // AppendEntries RPC, receiver implementation.

        synchronized AppendEntriesOk appendEntries(AppendEntries a) {
            if (a.term() < currentTerm) return new AppendEntriesOk(currentTerm, false, 0); // 1.
            if (a.term() > currentTerm || role != Role.FOLLOWER || !a.leaderId().equals(leaderId)) {
                becomeFollower(a.term(), a.leaderId());
            }
            heardFromLeaderAt = System.nanoTime(); // the promise (see the header)
            resetElectionDeadline();
            preVoteRound++; // a leader is there: a pre-vote under way is void
            if (!log.matches(a.prevLogIndex(), a.prevLogTerm())) { // 2.
                return new AppendEntriesOk(currentTerm, false, log.backOff(a.prevLogIndex()));
            }
            long lastNew = mergeIntoLog(a.prevLogIndex(), a.entries()); // 3. and 4.
            if (a.leaderCommit() > commitIndex) { // 5., never backwards: a late AppendEntries may end early
                commitIndex = Math.max(commitIndex, Math.min(a.leaderCommit(), lastNew));
                applyCommitted();
            }
            return new AppendEntriesOk(currentTerm, true, lastNew + 1);
        }

        // RequestVote RPC, receiver implementation, and the pre-vote.

        synchronized RequestVoteOk requestVote(RequestVote r) {
            // Bound by a promise: no vote, no pre-vote, and no term taken (see the header).
            if (promised()) return new RequestVoteOk(currentTerm, false);
            boolean upToDate = log.upToDate(r.lastLogIndex(), r.lastLogTerm());
            if (r.preVote()) return new RequestVoteOk(currentTerm, r.term() > currentTerm && upToDate);
            if (r.term() > currentTerm) becomeFollower(r.term(), null);
            boolean grant = r.term() == currentTerm && (votedFor == null || votedFor.equals(r.candidateId())) && upToDate;
            if (grant) {
                setTermAndVote(currentTerm, r.candidateId());
                resetElectionDeadline();
            }
            return new RequestVoteOk(currentTerm, grant);
        }

        /** Whether this node leads, or promised a leader within the shortest election timeout not to help elect another. */
        private boolean promised() {
            return role == Role.LEADER || System.nanoTime() - heardFromLeaderAt < electionNanos();
        }

        // The clock: followers' and candidates' election timeouts, the leader's heartbeats, hedges and check-quorum.

        synchronized void tick() {
            long now = System.nanoTime();
            waiting.values().removeIf(taken -> taken.olderThan(ANSWER_WITHIN.toNanos(), now));
            if (role != Role.LEADER) {
                if (now - electionDeadline >= 0) preVote();
                return;
            }
            if (answeredWithin(2 * electionNanos(), now) + 1 < majority()) {
                Node.log("term %d: no majority answered within %d ms, stepping down", currentTerm, 2 * electionMillis);
                becomeFollower(currentTerm, null);
                return;
            }
            List<Taken> lapsed = unleased.stream().filter(taken -> taken.olderThan(electionNanos(), now)).toList();
            unleased.removeAll(lapsed);
            var noLease = new RpcError(RpcError.TEMPORARILY_UNAVAILABLE, "no lease in term " + currentTerm);
            lapsed.forEach(taken -> taken.answer(noLease));
            boolean hedge = commitIndex < log.lastIndex() && now - commitProgressAt >= HEDGE.toNanos();
            if (hedge) commitProgressAt = now;
            followers.forEach((peer, follower) -> {
                if (hedge) want(peer, follower, now);
                boolean silent = now - follower.answeredAt >= electionNanos();
                long heartbeat = silent ? electionNanos() : electionNanos() * 2 / 3;
                if (follower.free(now, electionNanos()) && now - follower.sentAt >= heartbeat) sendAppend(peer, follower, now);
            });
        }

        private long answeredWithin(long nanos, long now) {
            return followers.values().stream().filter(f -> now - f.answeredAt < nanos).count();
        }

        /**
         * Sends {@code request} to {@code peer} and hands its answer, or null if none comes
         * within {@code timeout}, to {@code then} on a thread of its own. Never on this one,
         * which holds the Raft lock: an answer already read when the request was sent would
         * otherwise run here at once and change the state (a higher term makes this node a
         * follower) under a caller that goes on from what it read before.
         */
        private <R> void ask(String peer, Object request, Class<R> answerType, Duration timeout, Consumer<R> then) {
            node.rpc(peer, request, answerType, timeout).whenCompleteAsync((answer, e) -> then.accept(answer), Thread::startVirtualThread);
        }

        // Candidates (after a pre-vote): ask for votes, lead on a majority.

        private void preVote() {
            if (role == Role.CANDIDATE) becomeFollower(currentTerm, null);
            resetElectionDeadline();
            long round = ++preVoteRound;
            votes.clear();
            votes.add(node.id());
            var ask = new RequestVote(currentTerm + 1, node.id(), log.lastIndex(), log.lastTerm(), true);
            if (votes.size() >= majority()) becomeCandidate();
            for (String peer : node.peers()) {
                ask(peer, ask, RequestVoteOk.class, Duration.ofMillis(electionMillis), ok -> {
                    if (ok != null) preVoted(round, peer, ok);
                });
            }
        }

        private synchronized void preVoted(long round, String peer, RequestVoteOk answer) {
            if (answer.term() > currentTerm) becomeFollower(answer.term(), null);
            if (round != preVoteRound || role != Role.FOLLOWER || !answer.voteGranted()) return;
            votes.add(peer);
            if (votes.size() >= majority()) becomeCandidate();
        }

        private void becomeCandidate() {
            role = Role.CANDIDATE;
            leaderId = null;
            setTermAndVote(currentTerm + 1, node.id());
            votes.clear();
            votes.add(node.id());
            resetElectionDeadline();
            Node.log("term %d: candidate", currentTerm);
            if (votes.size() >= majority()) becomeLeader();
            long term = currentTerm;
            var ask = new RequestVote(term, node.id(), log.lastIndex(), log.lastTerm(), false);
            for (String peer : node.peers()) {
                ask(peer, ask, RequestVoteOk.class, Duration.ofMillis(electionMillis), ok -> {
                    if (ok != null) voted(term, peer, ok);
                });
            }
        }

        private synchronized void voted(long term, String peer, RequestVoteOk answer) {
            if (answer.term() > currentTerm) becomeFollower(answer.term(), null);
            if (role != Role.CANDIDATE || currentTerm != term || !answer.voteGranted()) return;
            votes.add(peer);
            if (votes.size() >= majority()) becomeLeader();
        }

        // Leaders.

        private void becomeLeader() {
            role = Role.LEADER;
            leaderId = node.id();
            long now = System.nanoTime();
            Node.log("term %d: leader, %d ms after this node last heard from one", currentTerm, (now - heardFromLeaderAt) / 1_000_000);
            followers.clear();
            for (String peer : node.peers()) followers.put(peer, new Follower(log.lastIndex() + 1, now, now - electionNanos()));
            commitProgressAt = now;
            appendToLog(new Entry(currentTerm, List.of())); // commits the earlier terms' entries with it (section 8)
            advanceCommitIndex();
            followers.forEach((peer, follower) -> want(peer, follower, now)); // every follower learns of this leader at once
        }

        /** Sends {@code peer} an AppendEntries with what it lacks, in this leader's term. */
        private void sendAppend(String peer, Follower follower, long now) {
            long term = currentTerm;
            long prev = follower.nextIndex - 1;
            var append = new AppendEntries(term, node.id(), prev, log.termAt(prev), log.from(prev + 1, MAX_ENTRIES), commitIndex);
            follower.sentAt = now;
            follower.inFlight = true;
            ask(peer, append, AppendEntriesOk.class, Duration.ofMillis(4 * electionMillis), ok -> appended(term, peer, now, ok));
        }

        /** The answer to the AppendEntries sent to {@code peer} at {@code sentAt} in {@code term}, or null if none came. */
        private synchronized void appended(long term, String peer, long sentAt, AppendEntriesOk answer) {
            if (answer != null && answer.term() > currentTerm) {
                becomeFollower(answer.term(), null);
                return;
            }
            if (role != Role.LEADER || currentTerm != term) return;
            long now = System.nanoTime();
            Follower follower = followers.get(peer);
            if (follower.sentAt == sentAt) follower.inFlight = false;
            if (answer != null) {
                follower.answeredAt = now;
                follower.promisedSince = Math.max(follower.promisedSince, sentAt);
                if (answer.success()) {
                    follower.matchIndex = Math.max(follower.matchIndex, answer.nextIndex() - 1);
                    follower.nextIndex = Math.max(follower.nextIndex, answer.nextIndex());
                    advanceCommitIndex();
                } else {
                    follower.nextIndex = Math.max(follower.matchIndex + 1, answer.nextIndex());
                }
                if (!unleased.isEmpty() && leaseHolds(now)) {
                    unleased.forEach(taken -> readAt(taken, log.lastIndex()));
                    unleased.clear();
                }
            }
            boolean behind = answer != null && !answer.success() || follower.nextIndex <= follower.wanted;
            if (follower.free(now, electionNanos()) && behind) sendAppend(peer, follower, now);
        }

        /** Commits the highest index a majority holds, if this term's (sections 5.3 and 5.4.2). */
        private void advanceCommitIndex() {
            List<Long> matched = new ArrayList<>(followers.values().stream().map(f -> f.matchIndex).toList());
            matched.add(log.lastIndex());
            matched.sort(null);
            long n = matched.get(matched.size() - majority());
            if (n > commitIndex && log.termAt(n) == currentTerm) {
                commitIndex = n;
                commitProgressAt = System.nanoTime();
                applyCommitted();
            }
        }
    }

    public static void main(String... args) {
        Cli.run(new LinKvNode(), args);
    }

    @Override
    public void run() {
        var node = new Node();
        var raft = new Raft(node);
        node.handle(Read.class, request -> raft.take(request, request.body()));
        node.handle(Write.class, request -> raft.take(request, request.body()));
        node.handle(Cas.class, request -> raft.take(request, request.body()));
        node.handle(Forward.class, request -> raft.take(request, request.body().op()));
        node.handle(AppendEntries.class, request -> request.reply(raft.appendEntries(request.body())));
        node.handle(RequestVote.class, request -> request.reply(raft.requestVote(request.body())));
        node.relayWhenSilent(Duration.ofMillis(electionMillis).dividedBy(3));
        node.onInit(raft::start);
        node.every(TICK, raft::tick);
        node.run();
    }
}
