///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES ../../lib/*.java
//DESCRIPTION A deliberately broken unique-ids node: ids are the node's name and a counter kept in memory, which a restart sets back to 0.

import java.util.concurrent.atomic.AtomicLong;
import lib.Node;

/**
 * Ids "n0-1", "n0-2", ...: unique across nodes and while the node lives, but a killed
 * node counts from 0 again at its restart and hands out the ids it handed out before.
 */
class IdsRestartCounter {

    record Generate() {}

    record GenerateOk(String id) {}

    public static void main(String... args) {
        var node = new Node();
        var counter = new AtomicLong();
        node.handle(Generate.class, request -> request.reply(new GenerateOk(node.id() + "-" + counter.incrementAndGet())));
        node.run();
    }
}
