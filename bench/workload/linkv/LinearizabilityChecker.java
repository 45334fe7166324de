package bench.workload.linkv;

import bench.Json;
import bench.Op;
import bench.report.Verdict;
import bench.workload.Findings;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Linearizability of a compare-and-set register per key, as Knossos and Porcupine check
 * it for Jepsen's linearizable-register test.
 *
 * <p>Keys are independent registers, and linearizability is compositional, so each key's
 * sub-history is checked on its own (in parallel). A key is searched by Wing and Gong's
 * algorithm with Lowe's memoization: walk the invocations and completions in time order;
 * at an invocation, try to take that operation's effect now (the model allows it, and the
 * pair of linearized set and register state is new), else try the next; at a completion of
 * an operation not yet taken, undo the last one taken and try the next after it. The memo
 * of visited (set, state) pairs is what keeps this polynomial in practice: two orders that
 * reach the same set and state have the same futures.
 *
 * <p>What each outcome means for the search:
 * <ul>
 * <li>ok operations take effect once, between their invocation and completion;
 * <li>failed ones (a definite error, a timed-out read) never took effect and are left out;
 * <li>indeterminate ones (info: a timeout, error 0 or 13, a malformed reply) took effect
 *     at some point after their invocation or never: they have no completion, and the search
 *     succeeds once every ok operation is placed. Indeterminate operations with the same
 *     effect are interchangeable, so the search only takes the earliest invoked of them
 *     still untaken: one order instead of every subset.
 * </ul>
 * A read must return the register's value; a read of null (or a reply without a value)
 * stands for a key that does not exist, which no write has created yet.
 *
 * <p>On failure the finding names the key and the operation whose completion no order
 * could reach (the prefix of the key's history up to that completion is already not
 * linearizable), the states the register could be in when it completed, and the
 * operations concurrent with it: a window of a few operations that cannot be ordered.
 */
public final class LinearizabilityChecker {

    /** Configurations (linearized set and state) one key's search may visit before it gives up undecided. */
    static final int DEFAULT_BUDGET = 2_000_000;
    /** The operations concurrent with a failure quoted in its finding line; results.json has all of them. */
    private static final int QUOTED = 12;

    /** The result of applying a step to a state whose precondition it does not meet. */
    private static final Object INAPPLICABLE = new Object();

    /** One register operation as the model applies it. */
    sealed interface Step permits Read, Write, Cas {
        /** The state after this step from {@code state}, or {@link #INAPPLICABLE}. */
        Object apply(Object state);
    }

    /** A read that returned {@code value} (null: the key did not exist). */
    record Read(Object value) implements Step {
        @Override
        public Object apply(Object state) {
            return Objects.equals(state, value) ? state : INAPPLICABLE;
        }
    }

    /** A write of {@code value}. */
    record Write(Object value) implements Step {
        @Override
        public Object apply(Object state) {
            return value;
        }
    }

    /** A compare-and-set from {@code from} to {@code to}; a missing key matches no {@code from}. */
    record Cas(Object from, Object to) implements Step {
        @Override
        public Object apply(Object state) {
            return state != null && state.equals(from) ? to : INAPPLICABLE;
        }
    }

    /**
     * One operation of a key, as the search sees it.
     *
     * @param op            the operation in the history
     * @param step          its effect on the register
     * @param indeterminate whether it may have taken effect at any time after its invocation, or never
     */
    record Call(Op op, Step step, boolean indeterminate) {
    }

    /** What the search concluded for one key. */
    sealed interface Outcome permits Linearizable, NotLinearizable, Undecided {
        /** How many distinct configurations the search visited. */
        long configurations();
    }

    /** Some order of the key's operations is legal. */
    record Linearizable(long configurations) implements Outcome {
    }

    /**
     * No order is legal.
     *
     * @param stuck      the operation whose completion no order of the earlier ones reached
     * @param states     the register states the search had reached by that completion
     * @param concurrent the other operations whose intervals overlap {@code stuck}'s, by invocation
     */
    record NotLinearizable(long configurations, Call stuck, Set<Object> states, List<Call> concurrent)
            implements Outcome {
    }

    /** The search visited its budget of configurations without a conclusion. */
    record Undecided(long configurations) implements Outcome {
    }

    private final int budget;

    /** A checker with the default search budget per key. */
    public LinearizabilityChecker() {
        this(DEFAULT_BUDGET);
    }

    /** A checker that gives a key up as undecided after {@code budget} configurations. */
    LinearizabilityChecker(int budget) {
        this.budget = budget;
    }

    /** Judges a lin-kv history (read, write and cas requests with a key), in invocation order. */
    public Verdict check(List<Op> history) {
        long started = System.nanoTime();
        Map<Object, List<Call>> keys = byKey(history);
        List<Object> order = keys.keySet().stream().sorted(KEY_ORDER).toList();
        Map<Object, Outcome> outcomes = new LinkedHashMap<>();
        List<Outcome> results = order.parallelStream().map(k -> search(keys.get(k), budget)).toList();
        for (int i = 0; i < order.size(); i++) outcomes.put(order.get(i), results.get(i));

        List<String> findings = new ArrayList<>();
        ObjectNode details = Json.object();
        ArrayNode failures = details.putArray("failures");
        ArrayNode undecided = details.putArray("undecided");
        long configurations = 0;
        for (var entry : outcomes.entrySet()) {
            Object key = entry.getKey();
            configurations += entry.getValue().configurations();
            switch (entry.getValue()) {
                case Linearizable l -> { }
                case Undecided u -> {
                    undecided.add(String.valueOf(key));
                    findings.add("key %s: undecided after %d configurations (the search's budget)"
                            .formatted(key, u.configurations()));
                }
                case NotLinearizable f -> {
                    failures.add(failure(key, f));
                    findings.add(describe(key, f));
                }
            }
        }
        details.put("keys", outcomes.size());
        details.put("ops_checked", keys.values().stream().mapToInt(List::size).sum());
        details.put("configurations", configurations);
        details.put("checker_ms", (System.nanoTime() - started) / 1_000_000);
        Verdict.Validity validity = !failures.isEmpty() ? Verdict.Validity.INVALID
                : !undecided.isEmpty() ? Verdict.Validity.UNKNOWN : Verdict.Validity.VALID;
        return new Verdict(validity, details, findings);
    }

    /** Keys in a stable order: integers by value, anything else after them by text. */
    private static final Comparator<Object> KEY_ORDER = Comparator
            .<Object, Boolean>comparing(k -> !(k instanceof Long))
            .thenComparing((a, b) -> a instanceof Long x && b instanceof Long y ? Long.compare(x, y)
                    : String.valueOf(a).compareTo(String.valueOf(b)));

    /** The operations the search places, per key, in invocation order; failed ones are left out. */
    static Map<Object, List<Call>> byKey(List<Op> history) {
        Map<Object, List<Call>> keys = new LinkedHashMap<>();
        for (Op op : history) {
            if (op.type() == Op.Type.FAIL || !op.request().has("key")) continue;
            ObjectNode request = op.request();
            Step step = switch (op.f()) {
                // A read whose value is unknown constrains nothing.
                case "read" -> op.ok() ? new Read(Findings.plain(op.reply().get("value"))) : null;
                case "write" -> new Write(Findings.plain(request.get("value")));
                case "cas" -> new Cas(Findings.plain(request.get("from")), Findings.plain(request.get("to")));
                default -> null;
            };
            if (step == null) continue;
            keys.computeIfAbsent(Findings.plain(request.get("key")), k -> new ArrayList<>())
                    .add(new Call(op, step, op.type() == Op.Type.INFO));
        }
        return keys;
    }

    /**
     * A visited configuration: the linearized ok operations (all before {@code base}, and
     * {@code tail} from there, so that it stays short as the search moves on), the
     * linearized indeterminate ones, and the register's state.
     */
    private record Config(int base, long[] tail, long[] indeterminate, Object state) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Config c && base == c.base && Arrays.equals(tail, c.tail)
                    && Arrays.equals(indeterminate, c.indeterminate) && Objects.equals(state, c.state);
        }

        @Override
        public int hashCode() {
            return ((base * 31 + Arrays.hashCode(tail)) * 31 + Arrays.hashCode(indeterminate)) * 31
                    + Objects.hashCode(state);
        }
    }

    /**
     * Wing and Gong's search over one key's operations (in invocation order), starting
     * from a key that does not exist.
     */
    static Outcome search(List<Call> calls, int budget) {
        return new Search(calls).run(budget);
    }

    /** One key's search state: its events as a doubly linked list that taking an operation unlinks. */
    private static final class Search {
        final List<Call> calls;
        /** Per event: its operation, and whether it is a completion. */
        final int[] eventCall;
        final boolean[] completion;
        final long[] time;
        final int[] next;
        final int[] prev;
        final int head;
        final int end;
        /** Per operation: its events (completion -1 when indeterminate), and its index among its kind. */
        final int[] invocationEvent;
        final int[] completionEvent;
        final int[] rank;
        /** Per indeterminate operation: the one invoked before it with the same step, or -1. */
        final int[] sameStepBefore;
        final BitSet okTaken = new BitSet();
        final BitSet indeterminateTaken = new BitSet();
        int okLeft;

        Search(List<Call> calls) {
            this.calls = calls;
            int n = calls.size();
            invocationEvent = new int[n];
            completionEvent = new int[n];
            rank = new int[n];
            sameStepBefore = new int[n];
            List<long[]> events = new ArrayList<>(); // {time, is completion, call}
            Map<Step, Integer> lastWithStep = new LinkedHashMap<>();
            int oks = 0;
            int indeterminates = 0;
            for (int c = 0; c < n; c++) {
                Call call = calls.get(c);
                events.add(new long[]{call.op().invokedAt(), 0, c});
                if (call.indeterminate()) {
                    rank[c] = indeterminates++;
                    Integer before = lastWithStep.put(call.step(), c);
                    sameStepBefore[c] = before == null ? -1 : before;
                } else {
                    rank[c] = oks++;
                    events.add(new long[]{call.op().completedAt(), 1, c});
                }
            }
            okLeft = oks;
            // Invocations before completions at the same instant: such operations overlap.
            events.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
            int size = events.size();
            eventCall = new int[size];
            completion = new boolean[size];
            time = new long[size];
            next = new int[size + 2];
            prev = new int[size + 2];
            head = size;
            end = size + 1;
            Arrays.fill(completionEvent, -1);
            for (int e = 0; e < size; e++) {
                long[] event = events.get(e);
                int c = (int) event[2];
                eventCall[e] = c;
                completion[e] = event[1] == 1;
                time[e] = event[0];
                if (completion[e]) completionEvent[c] = e;
                else invocationEvent[c] = e;
                next[e] = e + 1;
                prev[e] = e == 0 ? head : e - 1;
            }
            next[head] = size == 0 ? end : 0;
            prev[end] = size == 0 ? head : size - 1;
        }

        Outcome run(int budget) {
            Set<Config> seen = new HashSet<>();
            int[] stackCall = new int[calls.size()];
            Object[] stackState = new Object[calls.size()];
            int depth = 0;
            Object state = null;
            int stuck = -1;
            Set<Object> stuckStates = new LinkedHashSet<>();
            int event = next[head];
            while (okLeft > 0 && event != end) {
                int c = eventCall[event];
                if (!completion[event]) {
                    Object after = eligible(c) ? calls.get(c).step().apply(state) : INAPPLICABLE;
                    if (after != INAPPLICABLE) {
                        mark(c, true);
                        if (seen.add(config(after))) {
                            if (seen.size() > budget) return new Undecided(seen.size());
                            stackCall[depth] = c;
                            stackState[depth++] = state;
                            state = after;
                            take(c);
                            event = next[head];
                            continue;
                        }
                        mark(c, false);
                    }
                    event = next[event];
                } else {
                    // c completed without having been taken: the last choice was wrong.
                    if (stuck < 0 || time[event] > time[completionEvent[stuck]]) {
                        stuck = c;
                        stuckStates.clear();
                    }
                    if (c == stuck) stuckStates.add(state);
                    if (depth == 0) return notLinearizable(seen.size(), stuck, stuckStates);
                    c = stackCall[--depth];
                    state = stackState[depth];
                    mark(c, false);
                    untake(c);
                    event = next[invocationEvent[c]];
                }
            }
            return new Linearizable(seen.size());
        }

        /** Whether the search may take {@code c} now: an indeterminate one only after its same-step predecessor. */
        private boolean eligible(int c) {
            int before = sameStepBefore[c];
            return !calls.get(c).indeterminate() || before < 0 || indeterminateTaken.get(rank[before]);
        }

        private void mark(int c, boolean taken) {
            (calls.get(c).indeterminate() ? indeterminateTaken : okTaken).set(rank[c], taken);
        }

        private Config config(Object state) {
            int base = okTaken.nextClearBit(0);
            return new Config(base, okTaken.get(base, Math.max(base, okTaken.length())).toLongArray(),
                    indeterminateTaken.toLongArray(), state);
        }

        /** Unlinks c's events: the search has placed it. */
        private void take(int c) {
            unlink(invocationEvent[c]);
            if (completionEvent[c] >= 0) {
                unlink(completionEvent[c]);
                okLeft--;
            }
        }

        /** Links c's events back, in the reverse order of {@link #take}, so that their neighbours are theirs again. */
        private void untake(int c) {
            if (completionEvent[c] >= 0) {
                relink(completionEvent[c]);
                okLeft++;
            }
            relink(invocationEvent[c]);
        }

        private void unlink(int e) {
            next[prev[e]] = next[e];
            prev[next[e]] = prev[e];
        }

        private void relink(int e) {
            next[prev[e]] = e;
            prev[next[e]] = e;
        }

        private NotLinearizable notLinearizable(long configurations, int stuck, Set<Object> states) {
            Op op = calls.get(stuck).op();
            List<Call> concurrent = calls.stream().filter(other -> other.op() != op
                    && other.op().invokedAt() < op.completedAt()
                    && (other.indeterminate() || other.op().completedAt() > op.invokedAt())).toList();
            return new NotLinearizable(configurations, calls.get(stuck), states, concurrent);
        }
    }

    private static String describe(Object key, NotLinearizable f) {
        StringBuilder line = new StringBuilder("key %s: not linearizable: no order of its operations reaches the completion of %s; the register could only hold %s by then; %d operations concurrent with it:"
                .formatted(key, Findings.describe(f.stuck().op()), shown(f.states()), f.concurrent().size()));
        f.concurrent().stream().limit(QUOTED).forEach(c -> line.append(' ').append(Findings.describe(c.op())));
        if (f.concurrent().size() > QUOTED) line.append(" …");
        return line.toString();
    }

    /** States as a set, with a key that does not exist shown as "absent". */
    private static String shown(Set<Object> states) {
        return states.stream().map(s -> s == null ? "absent" : s.toString()).toList().toString();
    }

    private static ObjectNode failure(Object key, NotLinearizable f) {
        ObjectNode node = Json.object();
        node.put("key", String.valueOf(key));
        node.set("op", Findings.json(f.stuck().op()));
        ArrayNode states = node.putArray("states");
        f.states().forEach(s -> states.add(s == null ? "absent" : s.toString()));
        ArrayNode concurrent = node.putArray("concurrent");
        f.concurrent().forEach(c -> concurrent.add(Findings.json(c.op())));
        node.put("configurations", f.configurations());
        return node;
    }
}
