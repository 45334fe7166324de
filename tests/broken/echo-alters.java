///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES ../../lib/*.java
//DESCRIPTION A deliberately broken echo node: answers with a payload that differs from the request's.

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import lib.Node;

/** Echoes every payload with one character added, which the echo checker must reject. */
class EchoAlters {

    record Echo(JsonNode echo) {}

    record EchoOk(JsonNode echo) {}

    public static void main(String... args) {
        var node = new Node();
        node.handle(Echo.class, request -> request.reply(new EchoOk(new TextNode(request.body().echo().asText() + "!"))));
        node.run();
    }
}
