///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES ../../lib/*.java ../fixtures/linkv-store.java
//DESCRIPTION A deliberately broken lin-kv node: writes go to n0, but every node answers reads from its own copy, which n0 refreshes only now and then.

import java.time.Duration;
import lib.Node;

/**
 * Writes and cas are applied on n0, correctly; n0 pushes its whole map to the others every
 * 300 ms, and each node answers reads from its own copy. A read on another node right after
 * a write therefore returns the value before it: a stale read.
 */
class LinKvStaleRead {
    public static void main(String... args) {
        var node = new Node();
        var store = new LinKvStore();
        store.acceptReplicas(node);
        node.every(Duration.ofMillis(300), () -> {
            if (node.id().equals("n0")) store.push(node);
        });
        LinKvStore.serve(node, (src, request) -> request instanceof LinKvStore.Read || node.id().equals("n0")
                ? store.apply(request) : LinKvStore.forward(node, "n0", request));
        node.run();
    }
}
