///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES ../../lib/*.java
//DESCRIPTION A deliberately broken unique-ids node: every node counts from 1, so nodes hand out the same ids.

import java.util.concurrent.atomic.AtomicLong;
import lib.Node;

/** Ids from a per-node counter without the node's name: two nodes repeat each other's ids. */
class IdsRepeat {

    record Generate() {}

    record GenerateOk(long id) {}

    public static void main(String... args) {
        var node = new Node();
        var counter = new AtomicLong();
        node.handle(Generate.class, request -> request.reply(new GenerateOk(counter.incrementAndGet())));
        node.run();
    }
}
