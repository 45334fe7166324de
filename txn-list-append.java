///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES lib/*.java
//DESCRIPTION Maelstrom txn-list-append, the Datomic chapter: strict serializable transactions, run one at a time by one transactor node and journaled before they are answered.

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lib.Cli;
import lib.Disk;
import lib.Node;
import lib.RpcError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Maelstrom's txn-list-append workload (its Datomic chapter): transactions of reads and
 * appends on lists, strict serializable. One node, the one with the lowest id, is the
 * transactor: it holds every list in memory and runs each transaction whole under one
 * lock, one after another. Every other node forwards each transaction its clients send it
 * to the transactor, unchanged, and answers with what comes back. A transaction costs no
 * message between nodes when its client talks to the transactor, and two (the forward and
 * its answer) otherwise: with clients spread evenly over the nodes, as Maelstrom spreads
 * them, 0, 1, 4/3 and 8/5 on average at 1, 2, 3 and 5 nodes, whatever the load. The
 * chapter's transactor keeps its state in Maelstrom's lin-kv and lww-kv services, several
 * messages per transaction; here the state is the transactor's own, in memory and in a
 * journal on local disk.
 *
 * <p>Why it is strict serializable. The transactor runs transactions one at a time under
 * its lock: that is one total order, in which each transaction's reads see exactly the
 * appends of the transactions before it and its own earlier ones (a transaction works on
 * copies of the lists it touches, which replace the lists only once it is journaled). A
 * transaction takes effect at some moment within its lock, which comes after its client
 * sent it (the request, forwarded or not, has to reach the transactor first) and before
 * its client hears of it (the answer leaves the transactor after the lock), so the order
 * agrees with real time: a transaction that completed before another began is before it
 * in the order. Nothing is ever aborted: no transaction waits for another, so there is no
 * conflict to refuse, and error 30 is never answered.
 *
 * <p>Each transaction runs at most once: a forward is sent once and never again, and the
 * transactor runs what it gets without looking back. An answer is definite only when the
 * transaction certainly did not run: a transactor whose journal failed to open at init
 * refuses everything with error 11. A forward that gets no answer within
 * {@code --forward-timeout} is answered with the timeout (error 0), which is indefinite:
 * the transaction may have run, and may still run, as a forward can wait in a stopped
 * transactor's input. Elle lets such a transaction take effect at any moment after its
 * invocation, or never, which is all that can have happened.
 *
 * <p>Faults. A partition between a node and the transactor leaves that node's clients
 * with timeouts; the transactor's own clients go on. A paused transactor stops every
 * client, and when it goes on it runs the forwards that waited in its input, whose
 * answers find their forwarders gone on if they waited longer than the forward timeout.
 * A client is never answered after it gave up: the node library holds back answers
 * later than the client's 5 s, and those to requests that waited out a stop of the
 * process. A killed forwarder loses nothing, as it keeps
 * nothing. A killed transactor loses nothing that anyone saw: each transaction's appends
 * go to its journal (in its {@link Disk} folder for this test) in one write,
 * under the lock, before the lists change, so before any other transaction can read them
 * and before its answer leaves. A write torn by the kill is dropped whole at the restart,
 * and no one saw it. A restarted transactor replays the journal at init, before it runs
 * anything (the node library holds every message, peers' forwards that came before init
 * included, until init's listeners are done), and rewrites it as one record per key, so
 * that it stays the size of the lists. So the order above goes on across restarts, the lists as they were.
 *
 * <p>Availability is the transactor's: while it is down, stopped, or cut off from a node,
 * that node's clients wait. Raft (as in lin-kv.java) would survive a minority of nodes
 * down at three nodes or more, at the price of a round trip to a majority per batch,
 * election timeouts and heartbeats; at two nodes, where a majority is both, it would be
 * less available than this, not more.
 */
@Command(name = "txn-list-append", mixinStandardHelpOptions = true,
        description = "Maelstrom txn-list-append, the Datomic chapter: strict serializable transactions, run one at a time by one transactor node and journaled before they are answered.")
class TxnListAppendNode implements Runnable {

    @Option(names = "--forward-timeout",
            description = "Milliseconds a node waits for the transactor's answer to a forwarded transaction (default ${DEFAULT-VALUE}); below the clients' 5 s.")
    long forwardTimeoutMillis = 4000;

    /** A micro-op, on the wire as {@code ["r", key, list]} or {@code ["append", key, element]}. */
    sealed interface Mop {
        JsonNode key();

        @JsonCreator
        static Mop of(List<JsonNode> op) {
            if (op.size() != 3) throw new IllegalArgumentException("a micro-op is [f, key, value], not " + op);
            return switch (op.get(0).asText()) {
                case "r" -> new Read(op.get(1), op.get(2).isArray() ? elements(op.get(2)) : null);
                case "append" -> new Append(op.get(1), op.get(2));
                default -> throw new IllegalArgumentException("unknown micro-op " + op);
            };
        }

        private static List<JsonNode> elements(JsonNode array) {
            var elements = new ArrayList<JsonNode>(array.size());
            array.forEach(elements::add);
            return List.copyOf(elements);
        }
    }

    /** A read, with the list it saw, or null for a key never appended to (and in a request). */
    record Read(JsonNode key, List<JsonNode> list) implements Mop {
        @JsonValue
        List<Object> json() {
            return Arrays.asList("r", key, list);
        }
    }

    record Append(JsonNode key, JsonNode element) implements Mop {
        @JsonValue
        List<Object> json() {
            return Arrays.asList("append", key, element);
        }
    }

    record Txn(List<Mop> txn) {}

    record TxnOk(List<Mop> txn) {}

    /** A transaction's appends, as journaled: the micro-ops are all appends. */
    record Committed(List<Mop> appends) {}

    /** What a transaction did: its micro-ops completed, and each list it appended to as it leaves it. */
    private record Outcome(List<Mop> done, Map<JsonNode, List<JsonNode>> appended) {}

    /** The transactor's lists and their journal, under one lock: the order of the lock is the order of the transactions. */
    static final class Lists {
        private final Map<JsonNode, List<JsonNode>> lists = new HashMap<>();
        /** Every transaction's appends; null until restored at init, and if that failed. */
        private Disk.Journal<Committed> journal;

        /** Opens the journal in {@code disk} and replays what a previous start of this node left there. */
        synchronized void restore(Disk disk) {
            journal = disk.journal("appends", Committed.class);
            for (Committed committed : journal.records()) lists.putAll(run(committed.appends()).appended());
            if (journal.records().size() > lists.size()) {
                var perKey = new ArrayList<Committed>();
                lists.forEach((key, list) -> perKey.add(new Committed(list.stream().<Mop>map(e -> new Append(key, e)).toList())));
                journal.replace(perKey);
            }
            if (!journal.records().isEmpty()) Node.log("restored %d lists from %d journal records", lists.size(), journal.records().size());
        }

        /** Runs {@code txn}, journals its appends, and only then makes them visible; returns its micro-ops completed. */
        synchronized List<Mop> execute(List<Mop> txn) {
            if (journal == null) throw new RpcError(RpcError.TEMPORARILY_UNAVAILABLE, "no journal (it failed to open at init): the transaction did not run");
            Outcome outcome = run(txn);
            List<Mop> appends = outcome.done().stream().filter(mop -> mop instanceof Append).toList();
            if (!appends.isEmpty()) journal.append(new Committed(appends));
            lists.putAll(outcome.appended());
            return outcome.done();
        }

        /** Runs {@code txn} on copies of the lists it appends to, leaving the lists as they are. */
        private Outcome run(List<Mop> txn) {
            var appended = new LinkedHashMap<JsonNode, List<JsonNode>>();
            var done = new ArrayList<Mop>(txn.size());
            for (Mop mop : txn) {
                switch (mop) {
                    case Read r -> {
                        List<JsonNode> list = appended.getOrDefault(r.key(), lists.get(r.key()));
                        done.add(new Read(r.key(), list == null ? null : List.copyOf(list)));
                    }
                    case Append a -> {
                        appended.computeIfAbsent(a.key(), key -> new ArrayList<>(lists.getOrDefault(key, List.of())))
                                .add(a.element());
                        done.add(a);
                    }
                }
            }
            return new Outcome(done, appended);
        }
    }

    /** The node that runs every transaction, known at init, before any message is handled. */
    private volatile String transactor;

    public static void main(String... args) {
        Cli.run(new TxnListAppendNode(), args);
    }

    @Override
    public void run() {
        var node = new Node();
        var lists = new Lists();
        node.onInit(() -> {
            transactor = Collections.min(node.nodeIds());
            if (transactor.equals(node.id())) lists.restore(Disk.open(node));
        });
        node.handle(Txn.class, request -> {
            List<Mop> done = transactor.equals(node.id()) ? lists.execute(request.body().txn())
                    : node.syncRpc(transactor, request.body(), TxnOk.class, Duration.ofMillis(forwardTimeoutMillis)).txn();
            request.reply(new TxnOk(done));
        });
        node.run();
    }
}
