package bench.workload.linkv;

import bench.Json;
import bench.Op;
import bench.report.Verdict;
import bench.workload.Findings;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
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
 * sub-history is checked on its own (in parallel). A key is checked the way Knossos's
 * linear checker does (Lowe's just-in-time linearization of Wing and Gong's search, see
 * {@link Search}): in time order, keeping the set of configurations (operations taken,
 * register state) the history so far allows, memoized so that two orders reaching the same
 * configuration count once. Its cost goes with the operations open at once, not with the
 * history's length, and a failure costs no more than a success, where a depth-first search
 * must exhaust everything before the failure.
 *
 * <p>What each outcome means for the search:
 * <ul>
 * <li>ok operations take effect once, between their invocation and completion;
 * <li>failed ones (a definite error, a timed-out read) never took effect and are left out;
 * <li>indeterminate ones (info: a timeout, error 0 or 13, a malformed reply) took effect
 *     at some point after their invocation or never: they have no completion, and nothing
 *     waits for them. Indeterminate operations with the same effect are interchangeable,
 *     so the search only takes the earliest invoked of them still untaken (one order
 *     instead of every subset), and a configuration that has taken a superset of another's
 *     is dropped for it.
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

    /** Configurations one key's search may visit before it gives up undecided. */
    static final int DEFAULT_BUDGET = 2_000_000;
    /** The operations concurrent with a failure quoted in its finding line; results.json has all of them. */
    private static final int QUOTED = 12;

    /** The result of applying a step to a state whose precondition it does not meet. */
    private static final Object INAPPLICABLE = new Object();

    /** One register operation as the model applies it. */
    sealed interface Step permits Read, Write, Cas {
        /** The state after this step from {@code state}, or {@link #INAPPLICABLE}. */
        Object apply(Object state);

        /**
         * Whether the step leaves the state as it is wherever it applies (a read, a cas to
         * the value it expects). The search takes such a step as soon as it applies, without
         * trying the orders that take it later: placing it earlier changes no state, so
         * whatever order succeeds with it later succeeds with it now.
         */
        default boolean pure() {
            return false;
        }
    }

    /** A read that returned {@code value} (null: the key did not exist). */
    record Read(Object value) implements Step {
        @Override
        public Object apply(Object state) {
            return Objects.equals(state, value) ? state : INAPPLICABLE;
        }

        @Override
        public boolean pure() {
            return true;
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

        @Override
        public boolean pure() {
            return Objects.equals(from, to);
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
    public LinearizabilityChecker(int budget) {
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
     * A configuration of the search: which open ok operations have taken effect (a bit per
     * slot; a slot is freed when its operation completes), which indeterminate ones have
     * (a bit per rank, as they never complete), and the register's state.
     */
    private record Config(long[] ok, long[] indeterminate, Object state) {
    }

    /** A configuration short of its indeterminate operations: what {@link Memo} groups by. */
    private record Place(long[] ok, Object state) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Place p && Arrays.equals(ok, p.ok) && Objects.equals(state, p.state);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(ok) * 31 + Objects.hashCode(state);
        }
    }

    /**
     * A set of configurations that keeps only the least taken of the indeterminate
     * operations: one that has taken a superset of another's, with the same ok operations
     * and state, is no better off. An indeterminate operation never has to take effect, so
     * whatever can follow the larger set can follow the smaller one.
     */
    private static final class Memo {
        final Map<Place, List<long[]>> visited = new HashMap<>();

        /** Adds a configuration; false when it, or one that subsumes it, is in already. */
        boolean add(Config config) {
            List<long[]> sets = visited.computeIfAbsent(new Place(config.ok(), config.state()), p -> new ArrayList<>());
            for (long[] seen : sets) if (subset(seen, config.indeterminate())) return false;
            sets.removeIf(seen -> subset(config.indeterminate(), seen));
            sets.add(config.indeterminate());
            return true;
        }

        List<Config> configs() {
            List<Config> all = new ArrayList<>();
            visited.forEach((place, sets) -> sets.forEach(set -> all.add(new Config(place.ok(), set, place.state()))));
            return all;
        }

        private static boolean subset(long[] a, long[] b) {
            for (int i = 0; i < a.length; i++) if ((a[i] & ~(i < b.length ? b[i] : 0)) != 0) return false;
            return true;
        }
    }

    /** One key's search, from a key that does not exist, over its operations in invocation order. */
    static Outcome search(List<Call> calls, int budget) {
        return new Search(calls, budget).run();
    }

    /**
     * One key's search, the way Knossos's linear checker (Lowe's just-in-time
     * linearization) goes: walk the invocations and completions in time order, keeping every
     * configuration the history so far allows. An invocation opens its operation. At the
     * completion of an ok operation, expand the configurations by taking open operations in
     * every order that the model allows, stopping at those that have taken the completing
     * one, which are all that may go on; if there are none, nothing can be linearized past
     * this completion. Memory and time go with the open operations, not the history's length,
     * and a failure costs no more than a success.
     */
    private static final class Search {
        final List<Call> calls;
        final int budget;
        /** Per indeterminate operation, by rank (invocation order): its call, and the rank of the one before it with the same step, or -1. */
        final List<Integer> indeterminate = new ArrayList<>();
        final List<Integer> sameStepBefore = new ArrayList<>();
        /** Per operation: its rank among the indeterminate ones, or -1. */
        final int[] rank;
        /** Per slot: the open ok operation in it, or -1. */
        final List<Integer> slots = new ArrayList<>();
        final int[] slotOf;
        int invoked;
        long visits;

        Search(List<Call> calls, int budget) {
            this.calls = calls;
            this.budget = budget;
            rank = new int[calls.size()];
            slotOf = new int[calls.size()];
            Map<Step, Integer> lastWithStep = new HashMap<>();
            for (int c = 0; c < calls.size(); c++) {
                Call call = calls.get(c);
                rank[c] = -1;
                // One that changes nothing whether it takes effect or not is left out.
                if (call.indeterminate() && !call.step().pure()) {
                    rank[c] = indeterminate.size();
                    Integer before = lastWithStep.put(call.step(), rank[c]);
                    sameStepBefore.add(before == null ? -1 : before);
                    indeterminate.add(c);
                }
            }
        }

        Outcome run() {
            List<long[]> events = new ArrayList<>(); // {time, is completion, call}
            for (int c = 0; c < calls.size(); c++) {
                Call call = calls.get(c);
                if (call.indeterminate()) {
                    if (rank[c] >= 0) events.add(new long[]{call.op().invokedAt(), 0, c});
                } else {
                    events.add(new long[]{call.op().invokedAt(), 0, c});
                    events.add(new long[]{call.op().completedAt(), 1, c});
                }
            }
            // Invocations before completions at the same instant: such operations overlap.
            events.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
            List<Config> frontier = List.of(new Config(new long[0], new long[0], null));
            for (long[] event : events) {
                int c = (int) event[2];
                if (event[1] == 0) {
                    if (rank[c] >= 0) invoked = rank[c] + 1;
                    else open(c);
                    continue;
                }
                Memo reached = new Memo();
                Memo survivors = new Memo();
                for (Config config : frontier) expand(normal(config), c, reached, survivors);
                if (visits > budget) return new Undecided(visits);
                frontier = survivors.configs().stream().map(s -> cleared(s, slotOf[c])).toList();
                slots.set(slotOf[c], -1);
                if (frontier.isEmpty()) {
                    Set<Object> states = new LinkedHashSet<>();
                    reached.configs().forEach(r -> states.add(r.state()));
                    return notLinearizable(c, states);
                }
            }
            return new Linearizable(visits);
        }

        /** Puts an ok operation in the lowest free slot. */
        private void open(int c) {
            int slot = slots.indexOf(-1);
            if (slot < 0) {
                slot = slots.size();
                slots.add(c);
            } else {
                slots.set(slot, c);
            }
            slotOf[c] = slot;
        }

        /**
         * Every configuration reachable from {@code start} by taking open operations, into
         * {@code reached}; those that have taken {@code completing} go into {@code survivors}
         * and no further: what follows them is the next completion's to explore.
         */
        private void expand(Config start, int completing, Memo reached, Memo survivors) {
            List<Config> stack = new ArrayList<>();
            if (reached.add(start)) stack.add(start);
            while (!stack.isEmpty() && visits <= budget) {
                Config config = stack.removeLast();
                visits++;
                if (bit(config.ok(), slotOf[completing])) {
                    survivors.add(config);
                    continue;
                }
                for (int slot = 0; slot < slots.size(); slot++) {
                    int c = slots.get(slot);
                    if (c < 0 || bit(config.ok(), slot)) continue;
                    Object after = calls.get(c).step().apply(config.state());
                    if (after == INAPPLICABLE) continue;
                    Config next = normal(new Config(withBit(config.ok(), slot), config.indeterminate(), after));
                    if (reached.add(next)) stack.add(next);
                }
                for (int r = 0; r < invoked; r++) {
                    int before = sameStepBefore.get(r);
                    // Two with the same step are interchangeable: the earlier invoked goes first.
                    if (bit(config.indeterminate(), r) || (before >= 0 && !bit(config.indeterminate(), before))) continue;
                    Object after = calls.get(indeterminate.get(r)).step().apply(config.state());
                    if (after == INAPPLICABLE) continue;
                    Config next = normal(new Config(config.ok(), withBit(config.indeterminate(), r), after));
                    if (reached.add(next)) stack.add(next);
                }
            }
        }

        /**
         * The configuration with every open operation that leaves the state as it is (a read,
         * a cas to its own from) taken where it applies: taking such a step never hurts, as
         * it changes nothing and is then off the list of what must still be placed.
         */
        private Config normal(Config config) {
            long[] ok = config.ok();
            for (int slot = 0; slot < slots.size(); slot++) {
                int c = slots.get(slot);
                if (c < 0 || bit(ok, slot)) continue;
                Step step = calls.get(c).step();
                if (step.pure() && step.apply(config.state()) != INAPPLICABLE) ok = withBit(ok, slot);
            }
            return ok == config.ok() ? config : new Config(ok, config.indeterminate(), config.state());
        }

        private static boolean bit(long[] bits, int i) {
            return i / 64 < bits.length && (bits[i / 64] & (1L << (i % 64))) != 0;
        }

        private static long[] withBit(long[] bits, int i) {
            long[] copy = Arrays.copyOf(bits, Math.max(bits.length, i / 64 + 1));
            copy[i / 64] |= 1L << (i % 64);
            return copy;
        }

        /** The configuration with a slot's bit cleared, its array trimmed so that equal sets are equal arrays. */
        private static Config cleared(Config config, int slot) {
            long[] ok = Arrays.copyOf(config.ok(), config.ok().length);
            if (slot / 64 < ok.length) ok[slot / 64] &= ~(1L << (slot % 64));
            int length = ok.length;
            while (length > 0 && ok[length - 1] == 0) length--;
            return new Config(Arrays.copyOf(ok, length), config.indeterminate(), config.state());
        }

        private NotLinearizable notLinearizable(int stuck, Set<Object> states) {
            Op op = calls.get(stuck).op();
            List<Call> concurrent = calls.stream().filter(other -> other.op() != op
                    && other.op().invokedAt() < op.completedAt()
                    && (other.indeterminate() || other.op().completedAt() > op.invokedAt())).toList();
            return new NotLinearizable(visits, calls.get(stuck), states, concurrent);
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
