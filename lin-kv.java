///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES lib/*.java
//DESCRIPTION Maelstrom lin-kv, the Raft chapter: a linearizable key-value store on Raft, batched and pipelined, reads through the log.

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
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
 * Maelstrom's lin-kv workload (its Raft chapter): read, write and cas on a map every
 * node replicates with Raft, as the paper's figure 2 gives it (Ongaro and Ousterhout, "In
 * Search of an Understandable Consensus Algorithm"), with pre-vote and check-quorum from
 * Ongaro's thesis (sections 9.6 and 6.2) so that a node cut off and healed does not
 * depose a working leader, and a leader cut off steps down and says so.
 *
 * <p>The path of a request. Every node, leader or follower, keeps the requests its
 * clients send it, each with a ticket unique to the node, and answers them itself when
 * it applies their entry. A leader puts what it holds into one entry at each round, every
 * {@code --replicate-every}, and sends each follower, in one AppendEntries, everything
 * from that follower's nextIndex on and its commit index. A follower sends what it holds
 * back in its answer to that AppendEntries, and the leader appends it as one entry at
 * once. So a healthy cluster spends one round trip per follower per round, however many
 * requests arrive, and forwarding costs no message of its own; a follower's request waits
 * for three rounds (to the leader, to a majority, and the commit back), a leader's for
 * one. Rounds go out on the clock, not on answers: AppendEntries are pipelined, the
 * leader moves a follower's nextIndex past what it sent at once, and a failed check
 * brings it back to the follower's hint (just past its log, or the first entry of the
 * conflicting term), skipping a term a round. A follower silent for an election timeout
 * gets one AppendEntries every half timeout instead, until it answers.
 *
 * <p>Availability. A node that knows of no leader of its term answers error 11 at once
 * (definite: nothing was sent). A follower that hears from no leader for a randomized
 * election timeout fails what it holds with 11 (it was never sent) and runs a pre-vote:
 * peers agree only if they too have heard from no leader for the shortest election
 * timeout, and only then does it raise its term and ask for votes. A leader that has not
 * heard from a majority for an election timeout steps down and answers 11 from then on.
 * A request that left its node (forwarded, or in the leader's log) is never answered
 * with an error and never sent again: if its entry is lost in a change of leader, its
 * client times out, and the outcome stays unknown, as it is.
 *
 * <p>Why it is linearizable. Raft's guarantees (figure 3) hold here as in the paper:
 * votes go to candidates whose logs are at least as up to date, a leader commits only an
 * entry of its own term held by a majority (earlier ones with it), and a follower takes
 * an entry only after the consistency check, deletes only from a real conflict on, and
 * commits no further than the leader's commit index and its own last new entry. So the
 * committed entries form one prefix that only grows, the same at every node, and every
 * node applies them in that order to the same map, each once. Each client operation is
 * at most one command in one entry: a node makes the command when the request arrives,
 * sends it on at most once, and a leader appends what it gets once. Take as the
 * operation's linearization point the moment its entry's index is first committed: that
 * is after the request arrived, and before its answer, which its node sends on applying
 * the entry, knowing it committed. Commits happen in log order, so these points order the
 * operations as the log does, and each answer is what the map gives in that order. Reads
 * go through the log too, as commands: a read index would save no messages here, as a
 * leader needs a round with a majority to confirm its leadership for each batch of reads
 * anyway, and the round that carries the writes carries the reads.
 *
 * <p>A restart. Figure 2's persistent state, currentTerm, votedFor and the log, is on
 * disk (a {@link Disk} folder of the run, removed with it) before any message that
 * depends on it leaves: a vote, an answer to an AppendEntries, a leader's AppendEntries
 * and its own count towards a majority. Each change is one journal write under the
 * Raft lock, so a kill, which can take every node at once, loses nothing a peer was
 * told. A restarted node takes its term, vote and log back and starts as a follower
 * with nothing committed or applied, as a node does in the paper; the leader's commit
 * index brings it back to where it was, and it re-applies the log to an empty map.
 * Requests it held are gone with their clients' answers, which time out; their tickets
 * were drawn at random, so no later request is taken for one of them. The log is kept
 * whole, on disk as in memory (no snapshots: the paper's section 7), so what is on disk
 * is what the log holds; at restart each journal is rewritten to just that.
 */
@Command(name = "lin-kv", mixinStandardHelpOptions = true,
        description = "Maelstrom lin-kv, the Raft chapter: a linearizable key-value store on Raft, batched and pipelined, reads through the log.")
class LinKvNode implements Runnable {

    @Option(names = "--replicate-every", description = "Milliseconds between a leader's rounds of AppendEntries (default ${DEFAULT-VALUE}).")
    long replicateMillis = 50;

    @Option(names = "--election-timeout", description = "Shortest election timeout in milliseconds; each is drawn from it to twice it (default ${DEFAULT-VALUE}).")
    long electionMillis = 300;

    /** How often the clock checks the timeouts. */
    static final Duration TICK = Duration.ofMillis(10);
    /** At most this many entries in one AppendEntries: a follower far behind catches up over a few rounds. */
    static final int MAX_ENTRIES = 500;
    /** A request unanswered this long is forgotten: its client gave up long ago. */
    static final Duration FORGET_AFTER = Duration.ofSeconds(10);

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

    /** A client's operation, named by the node that took it and a ticket unique to that node. */
    record Command(String origin, long ticket, Op op) {}

    /** A log entry: the commands one node held at one round; a new leader's first entry holds none. */
    record Entry(long term, List<Command> commands) implements RaftLog.Entry {}

    // The RPCs of figure 2, with the hint and the forwarded commands in AppendEntries' answer.

    record AppendEntries(long term, String leaderId, long prevLogIndex, long prevLogTerm, List<Entry> entries,
            long leaderCommit) {}

    /**
     * {@code nextIndex} is where the leader goes on: past the last entry matched on
     * success, the back-off point on failure. {@code forwarded} are the follower's
     * clients' commands, for the leader's log.
     */
    record AppendEntriesOk(long term, boolean success, long nextIndex, List<Command> forwarded) {}

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
                    if (current == null) yield missing(c);
                    if (!current.equals(c.from())) {
                        yield new RpcError(RpcError.PRECONDITION_FAILED, "key " + c.key() + " holds " + current + ", not " + c.from());
                    }
                    values.put(c.key(), c.to());
                    yield new CasOk();
                }
            };
        }

        private static RpcError missing(Op op) {
            return new RpcError(RpcError.KEY_DOES_NOT_EXIST, "no key " + op.key());
        }
    }

    // What Raft keeps on disk.

    /** currentTerm and votedFor, as they became. */
    record TermAndVote(long term, String votedFor) {}

    /** An entry put at {@code index}, in place of any there and after it. */
    record Placed(long index, Entry entry) {}

    enum Role { FOLLOWER, CANDIDATE, LEADER }

    /** A request this node took, waiting for its entry to be applied. */
    record Waiting(Request<? extends Op> request, long since) {}

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
        private final Map<String, Long> nextIndex = new HashMap<>();
        private final Map<String, Long> matchIndex = new HashMap<>();
        /** When each follower last answered, and when it was last sent to (System.nanoTime). */
        private final Map<String, Long> answeredAt = new HashMap<>();
        private final Map<String, Long> sentAt = new HashMap<>();
        private long nextRoundAt;

        // Beyond figure 2: who leads, the timers, the votes counted, and the clients' requests.
        private Role role = Role.FOLLOWER;
        /** The leader of currentTerm, when known. */
        private String leaderId;
        /** When this node last heard from a leader, itself included; the log says how long an election took from it. */
        private long heardFromLeaderAt = System.nanoTime();
        private long electionDeadline;
        private final Set<String> votes = new HashSet<>();
        /** Counts pre-votes, so that answers to an earlier one are told apart. */
        private long preVoteRound;
        /** Commands of this node's clients not yet sent on (a follower) or appended (a leader). */
        private final List<Command> held = new ArrayList<>();
        private final Map<Long, Waiting> waiting = new HashMap<>();
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
            Disk disk = Disk.open(node.id());
            termJournal = disk.journal("term", TermAndVote.class);
            logJournal = disk.journal("log", Placed.class);
            List<TermAndVote> terms = termJournal.records();
            if (!terms.isEmpty()) {
                TermAndVote last = terms.get(terms.size() - 1);
                currentTerm = last.term();
                votedFor = last.votedFor();
                if (terms.size() > 1) termJournal.replace(List.of(last));
            }
            logJournal.records().forEach(placed -> log.place(placed.index(), placed.entry()));
            if (logJournal.records().size() > log.lastIndex()) logJournal.replace(placed(1, log.lastIndex()));
            if (!terms.isEmpty()) Node.log("restarted in term %d, voted for %s, %d entries", currentTerm, votedFor, log.lastIndex());
            resetElectionDeadline();
        }

        // Writes of the persistent state, each on disk when it returns.

        private void setTermAndVote(long term, String vote) {
            if (term == currentTerm && Objects.equals(vote, votedFor)) return;
            termJournal.append(new TermAndVote(term, vote));
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

        /** A client's request: held for the next round, or error 11 when no leader is known. */
        synchronized void take(Request<? extends Op> request) {
            if (leaderId == null) {
                request.fail(new RpcError(RpcError.TEMPORARILY_UNAVAILABLE, "no leader known in term " + currentTerm));
                return;
            }
            long ticket = nextTicket++;
            waiting.put(ticket, new Waiting(request, System.nanoTime()));
            held.add(new Command(node.id(), ticket, request.body()));
        }

        /** Fails the held commands, which never left this node, with 11. */
        private void failHeld(String why) {
            for (Command command : held) {
                Waiting w = waiting.remove(command.ticket());
                if (w != null) w.request().fail(new RpcError(RpcError.TEMPORARILY_UNAVAILABLE, why));
            }
            held.clear();
        }

        private List<Command> takeHeld() {
            List<Command> taken = List.copyOf(held);
            held.clear();
            return taken;
        }

        // Rules for servers, all servers: apply what is committed; a higher term makes a follower.

        private void applyCommitted() {
            while (lastApplied < commitIndex) {
                for (Command command : log.get(++lastApplied).commands()) {
                    Object answer = store.apply(command.op());
                    if (!command.origin().equals(node.id())) continue;
                    Waiting w = waiting.remove(command.ticket());
                    if (w == null) continue; // forgotten, or taken before a restart
                    if (answer instanceof RpcError error) w.request().fail(error);
                    else w.request().reply(answer);
                }
            }
        }

        /** Becomes a follower of {@code term}, led by {@code leader} if known. */
        private void becomeFollower(long term, String leader) {
            if (term > currentTerm) setTermAndVote(term, null);
            if (role != Role.FOLLOWER || !Objects.equals(leaderId, leader)) {
                Node.log("term %d: follower of %s", currentTerm, leader);
            }
            role = Role.FOLLOWER;
            leaderId = leader;
            if (leader == null) failHeld("no leader known in term " + currentTerm);
            resetElectionDeadline();
        }

        // AppendEntries RPC, receiver implementation.

        synchronized AppendEntriesOk appendEntries(AppendEntries a) {
            if (a.term() < currentTerm) return new AppendEntriesOk(currentTerm, false, 0, List.of()); // 1.
            if (a.term() > currentTerm || role != Role.FOLLOWER || !a.leaderId().equals(leaderId)) {
                becomeFollower(a.term(), a.leaderId());
            }
            heardFromLeaderAt = System.nanoTime();
            resetElectionDeadline();
            List<Command> forwarded = takeHeld();
            if (!log.matches(a.prevLogIndex(), a.prevLogTerm())) { // 2.
                return new AppendEntriesOk(currentTerm, false, log.backOff(a.prevLogIndex()), forwarded);
            }
            long lastNew = mergeIntoLog(a.prevLogIndex(), a.entries()); // 3. and 4.
            if (a.leaderCommit() > commitIndex) { // 5., never backwards: a late AppendEntries may end early
                commitIndex = Math.max(commitIndex, Math.min(a.leaderCommit(), lastNew));
                applyCommitted();
            }
            return new AppendEntriesOk(currentTerm, true, lastNew + 1, forwarded);
        }

        // RequestVote RPC, receiver implementation, and the pre-vote.

        synchronized RequestVoteOk requestVote(RequestVote r) {
            boolean upToDate = log.upToDate(r.lastLogIndex(), r.lastLogTerm());
            if (r.preVote()) return new RequestVoteOk(currentTerm, r.term() > currentTerm && !leaderAlive() && upToDate);
            if (r.term() > currentTerm) becomeFollower(r.term(), null);
            boolean grant = r.term() == currentTerm && (votedFor == null || votedFor.equals(r.candidateId())) && upToDate;
            if (grant) {
                setTermAndVote(currentTerm, r.candidateId());
                resetElectionDeadline();
            }
            return new RequestVoteOk(currentTerm, grant);
        }

        /** Whether this node has a leader it heard from within the shortest election timeout. */
        private boolean leaderAlive() {
            return role == Role.LEADER || (leaderId != null && System.nanoTime() - heardFromLeaderAt < electionNanos());
        }

        // The clock: followers' and candidates' election timeouts, the leader's rounds and check-quorum.

        synchronized void tick() {
            long now = System.nanoTime();
            waiting.values().removeIf(w -> now - w.since() > FORGET_AFTER.toNanos());
            if (role != Role.LEADER) {
                if (now - electionDeadline >= 0) preVote();
            } else if (answeredWithin(now) + 1 < majority()) {
                Node.log("term %d: no majority answered within %d ms, stepping down", currentTerm, electionMillis);
                becomeFollower(currentTerm, null);
            } else if (now - nextRoundAt >= 0) {
                round(now);
            }
        }

        private long answeredWithin(long now) {
            return answeredAt.values().stream().filter(at -> now - at < electionNanos()).count();
        }

        /**
         * Sends {@code request} to {@code peer} and hands its answer, if one comes within an
         * election timeout, to {@code then} on a thread of its own. Never on this one, which
         * holds the Raft lock: an answer already read when the request was sent would
         * otherwise run here at once and change the state (a higher term makes this node a
         * follower) under a caller that goes on from what it read before.
         */
        private <R> void ask(String peer, Object request, Class<R> answerType, Consumer<R> then) {
            node.rpc(peer, request, answerType, Duration.ofMillis(electionMillis))
                    .whenCompleteAsync((answer, e) -> {
                        if (answer != null) then.accept(answer);
                    }, Thread::startVirtualThread);
        }

        // Candidates (after a pre-vote): ask for votes, lead on a majority.

        private void preVote() {
            if (leaderId != null || role == Role.CANDIDATE) becomeFollower(currentTerm, null);
            resetElectionDeadline();
            long round = ++preVoteRound;
            votes.clear();
            votes.add(node.id());
            var ask = new RequestVote(currentTerm + 1, node.id(), log.lastIndex(), log.lastTerm(), true);
            if (votes.size() >= majority()) becomeCandidate();
            for (String peer : node.peers()) ask(peer, ask, RequestVoteOk.class, ok -> preVoted(round, peer, ok));
        }

        private synchronized void preVoted(long round, String peer, RequestVoteOk answer) {
            if (answer.term() > currentTerm) becomeFollower(answer.term(), null);
            if (round != preVoteRound || role != Role.FOLLOWER || leaderId != null || !answer.voteGranted()) return;
            votes.add(peer);
            if (votes.size() >= majority()) becomeCandidate();
        }

        private void becomeCandidate() {
            role = Role.CANDIDATE;
            setTermAndVote(currentTerm + 1, node.id());
            votes.clear();
            votes.add(node.id());
            resetElectionDeadline();
            Node.log("term %d: candidate", currentTerm);
            if (votes.size() >= majority()) becomeLeader();
            long term = currentTerm;
            var ask = new RequestVote(term, node.id(), log.lastIndex(), log.lastTerm(), false);
            for (String peer : node.peers()) ask(peer, ask, RequestVoteOk.class, ok -> voted(term, peer, ok));
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
            for (String peer : node.peers()) {
                nextIndex.put(peer, log.lastIndex() + 1);
                matchIndex.put(peer, 0L);
                answeredAt.put(peer, now); // a fresh start for check-quorum
                sentAt.put(peer, now - electionNanos());
            }
            appendToLog(new Entry(currentTerm, List.of())); // commits the earlier terms' entries with it (section 8)
            round(now);
        }

        /**
         * One round: this node's held commands become one entry, and every follower is
         * sent what it lacks, in the term the round began in; a silent one only every half
         * election timeout. No answer is taken while the round goes (see {@link #ask}), so
         * this node leads that term to the round's end.
         */
        private void round(long now) {
            long term = currentTerm;
            heardFromLeaderAt = now;
            nextRoundAt = now + replicateMillis * 1_000_000;
            if (!held.isEmpty()) appendToLog(new Entry(currentTerm, takeHeld()));
            advanceCommitIndex(); // a cluster of one commits alone
            for (String peer : node.peers()) {
                boolean silent = now - answeredAt.get(peer) >= electionNanos();
                if (silent && now - sentAt.get(peer) < electionNanos() / 2) continue;
                sentAt.put(peer, now);
                long prev = nextIndex.get(peer) - 1;
                List<Entry> entries = log.from(prev + 1, MAX_ENTRIES);
                nextIndex.put(peer, prev + entries.size() + 1); // pipelined: the next round goes on from here
                var append = new AppendEntries(term, node.id(), prev, log.termAt(prev), entries, commitIndex);
                ask(peer, append, AppendEntriesOk.class, ok -> appended(term, peer, ok));
            }
        }

        private synchronized void appended(long term, String peer, AppendEntriesOk answer) {
            if (answer.term() > currentTerm) {
                becomeFollower(answer.term(), null);
                return;
            }
            // A leader that stepped down since drops what was forwarded: it was never in a log, and its clients time out.
            if (role != Role.LEADER || currentTerm != term) return;
            answeredAt.put(peer, System.nanoTime());
            if (!answer.forwarded().isEmpty()) appendToLog(new Entry(currentTerm, answer.forwarded()));
            long match = matchIndex.get(peer);
            if (answer.success()) {
                match = Math.max(match, answer.nextIndex() - 1);
                matchIndex.put(peer, match);
                nextIndex.put(peer, Math.max(nextIndex.get(peer), match + 1));
                advanceCommitIndex();
            } else {
                nextIndex.put(peer, Math.max(match + 1, answer.nextIndex()));
            }
        }

        /** Commits the highest index a majority holds, if this term's (sections 5.3 and 5.4.2). */
        private void advanceCommitIndex() {
            List<Long> matched = new ArrayList<>(matchIndex.values());
            matched.add(log.lastIndex());
            matched.sort(null);
            long n = matched.get(matched.size() - majority());
            if (n > commitIndex && log.termAt(n) == currentTerm) {
                commitIndex = n;
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
        node.handle(Read.class, raft::take);
        node.handle(Write.class, raft::take);
        node.handle(Cas.class, raft::take);
        node.handle(AppendEntries.class, request -> request.reply(raft.appendEntries(request.body())));
        node.handle(RequestVote.class, request -> request.reply(raft.requestVote(request.body())));
        node.onInit(raft::start);
        node.every(TICK, raft::tick);
        node.run();
    }
}
