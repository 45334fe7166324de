///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES lib/*.java
//DESCRIPTION Gossip Glomers 2, unique ids: totally available, no coordination.

import java.util.concurrent.atomic.AtomicLong;
import lib.Cli;
import lib.Disk;
import lib.Node;
import picocli.CommandLine.Command;

/**
 * Challenge 2. An id is this node's id, its incarnation and a counter of its own,
 * "n1-1-42": node ids are unique in the cluster, the counter never repeats within an
 * incarnation, and no two incarnations of a node share a number, so no two ids are
 * equal, and no node ever asks another, which keeps every request answered through any
 * partition. On a restart (after a kill) the node starts a new incarnation: at init,
 * before init_ok, it appends the next number to its journal in its {@link Disk} folder
 * (one short line a start), and counts from 1 again within it.
 */
@Command(name = "unique-ids", mixinStandardHelpOptions = true,
        description = "Gossip Glomers 2, unique ids: totally available, no coordination.")
class UniqueIdsNode implements Runnable {

    record Generate() {}

    record GenerateOk(String id) {}

    /** A start of this node in this run, numbered from 1. */
    record Incarnation(long number) {}

    /** "n1-3-": this node and its incarnation; set at init, before any request is handled. */
    private volatile String prefix;

    public static void main(String... args) {
        Cli.run(new UniqueIdsNode(), args);
    }

    @Override
    public void run() {
        var node = new Node();
        var counter = new AtomicLong();
        node.onInit(() -> {
            Disk.Journal<Incarnation> starts = Disk.open(node).journal("incarnations", Incarnation.class);
            long number = starts.records().stream().mapToLong(Incarnation::number).max().orElse(0) + 1;
            starts.append(new Incarnation(number)); // on disk before init_ok: no later start can take it
            prefix = node.id() + "-" + number + "-";
        });
        node.handle(Generate.class, request -> request.reply(new GenerateOk(prefix + counter.incrementAndGet())));
        node.run();
    }
}
