///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES ../../lib/*.java
//DESCRIPTION A deliberately broken echo node: answers its first request six seconds late, after the client gave up.

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.atomic.AtomicBoolean;
import lib.Node;

/**
 * Answers the first echo after 6 s, past Maelstrom's 5 s client timeout: the client has
 * been replaced by then, so the late reply names a client no longer on the network.
 */
class EchoLate {

    record Echo(JsonNode echo) {}

    record EchoOk(JsonNode echo) {}

    public static void main(String... args) {
        var node = new Node();
        var first = new AtomicBoolean(true);
        node.handle(Echo.class, request -> {
            if (first.getAndSet(false)) {
                Thread.sleep(6000);
            }
            request.reply(new EchoOk(request.body().echo()));
        });
        node.run();
    }
}
