///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES ../../lib/*.java
//DESCRIPTION A deliberately broken g-counter node: keeps its count in a file named by its parent process, so a test's node starts from the count of the test before it.

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import lib.Node;

/**
 * A grow-only counter for one node that survives kills: each add is journaled before it
 * is acknowledged, in a file under the temp dir named by the node's parent process (its
 * pid and start time), and a node that starts adds the journal's deltas back. Within one
 * test that is right, as its restarts have the same parent. It is wrong across tests:
 * Maelstrom runs every test of a {@code --test-count} in one JVM, the parent of every
 * node, so the second test's node starts from the first test's count, and its final
 * reads exceed every sum of its own test's adds. The first log line names the journal.
 */
class CounterKeyedByParent {

    record Add(long delta) {}

    record AddOk() {}

    record Read() {}

    record ReadOk(long value) {}

    public static void main(String... args) throws IOException {
        ProcessHandle parent = ProcessHandle.current().parent().orElseThrow();
        String run = parent.pid() + "-" + parent.info().startInstant().map(t -> Long.toString(t.toEpochMilli()))
                .orElse("unknown");
        Path journal = Path.of(System.getProperty("java.io.tmpdir"), "counter-keyed-by-parent", run);
        Files.createDirectories(journal.getParent());
        Node.log("journal %s", journal);
        // A line cut short by a kill is left out: its add was never acknowledged.
        long restored = Files.exists(journal)
                ? Files.readAllLines(journal).stream().filter(line -> line.matches("\\d+;")).mapToLong(
                        line -> Long.parseLong(line.substring(0, line.length() - 1))).sum()
                : 0;
        var count = new AtomicLong(restored);
        var node = new Node();
        node.handle(Add.class, request -> {
            long delta = request.body().delta();
            synchronized (count) {
                Files.writeString(journal, delta + ";\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                count.addAndGet(delta);
            }
            request.reply(new AddOk());
        });
        node.handle(Read.class, request -> request.reply(new ReadOk(count.get())));
        node.run();
    }
}
