///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES ../../lib/*.java ../fixtures/linkv-store.java
//DESCRIPTION A deliberately broken lin-kv node: a forwarded cas that is slow to come back is sent again, and applied twice.

import java.time.Duration;
import lib.Node;
import lib.RpcError;

/**
 * Every request is applied on n0, which takes 60 ms over a cas. The other nodes forward a
 * cas with a 20 ms timeout and, when it passes, send it again and relay the second answer;
 * n0 applies both. The first takes effect, so the second finds the value changed and fails
 * with 22: the client is told its cas did not happen when it did.
 */
class LinKvCasTwice {
    static final Duration SLOW = Duration.ofMillis(60);
    static final Duration RETRY_AFTER = Duration.ofMillis(20);

    public static void main(String... args) {
        var node = new Node();
        var store = new LinKvStore();
        LinKvStore.serve(node, (src, request) -> {
            if (node.id().equals("n0")) {
                if (request instanceof LinKvStore.Cas) Thread.sleep(SLOW);
                return store.apply(request);
            }
            if (!(request instanceof LinKvStore.Cas)) return LinKvStore.forward(node, "n0", request);
            try {
                return node.syncRpc("n0", request, request.okType(), RETRY_AFTER);
            } catch (RpcError e) {
                if (e.code() != RpcError.TIMEOUT) throw e;
                return LinKvStore.forward(node, "n0", request); // the retry
            }
        });
        node.run();
    }
}
