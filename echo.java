///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES lib/*.java
//DESCRIPTION Gossip Glomers 1, echo: answers every echo with its own payload.

import com.fasterxml.jackson.databind.JsonNode;
import lib.Cli;
import lib.Node;
import picocli.CommandLine.Command;

/** Challenge 1: the smallest node there is. It keeps no state, so a restart (after a kill) is a fresh start, and writes nothing to disk. */
@Command(name = "echo", mixinStandardHelpOptions = true,
        description = "Gossip Glomers 1, echo: answers every echo with its own payload.")
class EchoNode implements Runnable {

    record Echo(JsonNode echo) {}

    record EchoOk(JsonNode echo) {}

    public static void main(String... args) {
        Cli.run(new EchoNode(), args);
    }

    @Override
    public void run() {
        var node = new Node();
        node.handle(Echo.class, request -> request.reply(new EchoOk(request.body().echo())));
        node.run();
    }
}
