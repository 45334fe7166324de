///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES ../../lib/*.java
//DESCRIPTION A deliberately broken echo node: answers its first request six seconds late, after the client gave up.

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.atomic.AtomicBoolean;
import lib.Node;

/**
 * Answers the first echo after 6 s, past Maelstrom's 5 s client timeout: the client has
 * been replaced by then, so the late reply names a client no longer on the network. The
 * answers go out through send, by hand: lib/Node's reply would not answer a client that
 * has given up.
 */
class EchoLate {

    record Echo(JsonNode echo, long msg_id) {}

    record EchoOk(JsonNode echo, long in_reply_to) {}

    public static void main(String... args) {
        var node = new Node();
        var first = new AtomicBoolean(true);
        node.handle(Echo.class, request -> {
            if (first.getAndSet(false)) {
                Thread.sleep(6000);
            }
            node.send(request.src(), new EchoOk(request.body().echo(), request.body().msg_id()));
        });
        node.run();
    }
}
