///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES lib/*.java
//DESCRIPTION Gossip Glomers 2, unique ids: totally available, no coordination.

import java.util.concurrent.atomic.AtomicLong;
import lib.Cli;
import lib.Node;
import picocli.CommandLine.Command;

/**
 * Challenge 2. An id is this node's id and a counter of its own, "n1-42": node ids
 * are unique in the cluster and the counter never repeats within a node, so no two
 * ids are equal, and no node ever asks another, which keeps every request answered
 * through any partition. (Nodes are never restarted in these tests; a node that could
 * restart would add a per-run nonce.)
 */
@Command(name = "unique-ids", mixinStandardHelpOptions = true,
        description = "Gossip Glomers 2, unique ids: totally available, no coordination.")
class UniqueIdsNode implements Runnable {

    record Generate() {}

    record GenerateOk(String id) {}

    public static void main(String... args) {
        Cli.run(new UniqueIdsNode(), args);
    }

    @Override
    public void run() {
        var node = new Node();
        var counter = new AtomicLong();
        node.handle(Generate.class, request -> request.reply(new GenerateOk(node.id() + "-" + counter.incrementAndGet())));
        node.run();
    }
}
