package tests.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import lib.Disk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which folder {@link Disk} gives a node, what it cleans, and how its journals read back. */
class DiskTest {

    record Entry(String key, long value) {}

    @TempDir
    Path root;

    /** A folder as a node of another, ended process left it, marked abandoned {@code ago} nanoseconds ago. */
    Path leftBehind(String name, Long markedAgo) throws Exception {
        Path folder = Files.createDirectories(root.resolve(name));
        Files.writeString(folder.resolve("values.jsonl"), "{}\n");
        if (markedAgo != null) Files.writeString(folder.resolve(Disk.ABANDONED_MARK), Long.toString(System.nanoTime() - markedAgo));
        return folder;
    }

    @Test
    void removesFoldersUnheldForAnHourSinceMarkedOrMarkedBeforeAReboot() throws Exception {
        long hour = Disk.ABANDONED.toNanos();
        Path old = leftBehind("n0-old", hour + 1_000_000_000L);
        Path rebooted = leftBehind("n0-rebooted", -hour); // marked at a monotonic time still to come: another boot's
        Path recent = leftBehind("n0-recent", hour / 2);
        Path unmarked = leftBehind("n0-unmarked", null);
        Files.setLastModifiedTime(unmarked.resolve("values.jsonl"), FileTime.fromMillis(0)); // a wall-clock age counts for nothing
        Disk.open(root, "n1-new");
        assertTrue(Disk.cleanIfDue(root), "a root never cleaned");
        assertFalse(Files.exists(old), "unheld for over an hour since it was marked");
        assertFalse(Files.exists(rebooted), "marked before a reboot");
        assertTrue(Files.exists(recent.resolve("values.jsonl")), "marked half an hour ago");
        assertTrue(Files.exists(unmarked.resolve("values.jsonl")), "seen unheld for the first time");
        assertTrue(Files.exists(unmarked.resolve(Disk.ABANDONED_MARK)), "and marked");
    }

    /**
     * A removal renames the folder out of the way first, so that a node starting meanwhile
     * cannot open its lock anew; what a removal cut short left is removed by the next
     * start, and cleaning never fails a start.
     */
    @Test
    void aFolderBeingRemovedIsRenamedFirstAndWhatARemovalCutShortLeftGoesNext() throws Exception {
        Path old = leftBehind("n0-old", 2 * Disk.ABANDONED.toNanos());
        Path cutShort = Files.createDirectories(root.resolve(".removed-n3-gone-123"));
        Files.writeString(cutShort.resolve("values.jsonl"), "{}\n");
        Disk.open(root, "n1-new");
        assertTrue(Disk.cleanIfDue(root));
        assertFalse(Files.exists(old), "removed");
        assertFalse(Files.exists(cutShort), "the rest of a removal cut short");
        try (var left = Files.list(root)) {
            assertEquals(List.of(root.resolve("n1-new")), left.filter(Files::isDirectory).toList(), "nothing else left behind");
        }
    }

    /**
     * One process cleans at a time, and not again within a minute: a test's 25 nodes
     * start at once, and each looking over every folder cost each of them CPU inside
     * init's deadline.
     */
    @Test
    void theRootIsCleanedByOneProcessAtATimeAndAtMostOnceAMinute() throws Exception {
        assertTrue(Disk.cleanIfDue(root), "a root never cleaned");
        Path later = leftBehind("n0-later", null);
        assertFalse(Disk.cleanIfDue(root), "cleaned a moment ago");
        assertFalse(Files.exists(later.resolve(Disk.ABANDONED_MARK)), "not looked at");
        Files.writeString(root.resolve(".cleaned"), Long.toString(System.nanoTime() + 3_600_000_000_000L)); // another boot's
        try (var channel = FileChannel.open(root.resolve(".cleaning"), StandardOpenOption.WRITE);
             var lock = channel.lock()) { // as a cleaning elsewhere holds it
            assertFalse(Disk.cleanIfDue(root), "being cleaned by another");
        }
        assertTrue(Disk.cleanIfDue(root), "last cleaned before a reboot");
        assertTrue(Files.exists(later.resolve(Disk.ABANDONED_MARK)), "looked at now");
    }

    @Test
    void aHeldFolderIsNeverRemovedAndOpeningTakesTheMarkOff() throws Exception {
        Disk held = Disk.open(root, "n0-held"); // held by this process from now on
        Files.writeString(held.folder().resolve(Disk.ABANDONED_MARK), Long.toString(System.nanoTime() - 2 * Disk.ABANDONED.toNanos()));
        assertTrue(Disk.cleanIfDue(root));
        assertTrue(Files.exists(held.folder()), "a folder a live process holds");
        Path restarted = leftBehind("n2-restarted", 0L);
        assertEquals(restarted, Disk.open(root, "n2-restarted").folder());
        assertFalse(Files.exists(restarted.resolve(Disk.ABANDONED_MARK)), "its node came back");
    }

    @Test
    void theRootIsThisUsersAloneAndEachUserHasHisOwn() throws Exception {
        Disk.open(root.resolve("mine"), "n0-a");
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE),
                Files.getPosixFilePermissions(root.resolve("mine")));
        String user = System.getProperty("user.name");
        try {
            System.setProperty("user.name", "alice");
            Path alice = Disk.root();
            System.setProperty("user.name", "bob");
            assertNotEquals(alice, Disk.root());
            System.setProperty("user.name", "../bob");
            assertEquals(alice.getParent(), Disk.root().getParent(), "no user name leads out of the temp dir");
        } finally {
            System.setProperty("user.name", user);
        }
    }

    @Test
    void aFolderNameThatIsNotOneIsRefused() {
        for (String name : List.of("..", "../n0", "a/b", "", ".hidden", "n 1")) {
            assertThrows(IllegalArgumentException.class, () -> Disk.open(root, name), name);
        }
    }

    /**
     * A node names its folder in lin-kv at init: a fresh name where lin-kv has none for
     * it (a new test), the name lin-kv holds where it has one (a restart in this test).
     */
    @Test
    void aNodeTakesAFreshFolderInANewTestAndItsOwnAfterARestart() throws Exception {
        var folder = new AtomicReference<Path>();
        String name;
        try (var n = NodeHarness.start(node -> node.onInit(() -> folder.set(Disk.open(node).folder())))) {
            n.send("c0", "{\"type\":\"init\",\"node_id\":\"n1\",\"node_ids\":[\"n1\"],\"msg_id\":1}");
            JsonNode cas = n.next();
            assertEquals("lin-kv", cas.get("dest").asText());
            JsonNode body = cas.get("body");
            assertEquals("cas", body.get("type").asText());
            assertEquals(Disk.KEY + "n1", body.get("key").asText());
            assertEquals(body.get("from"), body.get("to"));
            assertTrue(body.get("create_if_not_exists").asBoolean());
            name = body.get("to").asText();
            n.send("lin-kv", "{\"type\":\"cas_ok\",\"in_reply_to\":" + body.get("msg_id") + "}");
            assertEquals("init_ok", n.nextBody().get("type").asText());
            assertEquals(Disk.root().resolve(name), folder.get());
        }
        try (var n = NodeHarness.start(node -> node.onInit(() -> folder.set(Disk.open(node).folder())))) {
            n.send("c0", "{\"type\":\"init\",\"node_id\":\"n1\",\"node_ids\":[\"n1\"],\"msg_id\":1}");
            JsonNode cas = n.nextBody();
            assertNotEquals(name, cas.get("to").asText(), "every start offers a new name");
            n.send("lin-kv", "{\"type\":\"error\",\"code\":22,\"text\":\"current value is another\",\"in_reply_to\":"
                    + cas.get("msg_id") + "}");
            JsonNode read = n.nextBody();
            assertEquals("read", read.get("type").asText());
            n.send("lin-kv", "{\"type\":\"read_ok\",\"value\":\"" + name + "\",\"in_reply_to\":" + read.get("msg_id") + "}");
            assertEquals("init_ok", n.nextBody().get("type").asText());
            assertEquals(Disk.root().resolve(name), folder.get(), "the folder of its first start");
        }
    }

    @Test
    void journalsReadBackWhatWasAppendedAndDropATornLastLine() throws Exception {
        Disk disk = Disk.open(root, "n0");
        var journal = disk.journal("entries", Entry.class);
        assertEquals(List.of(), journal.records());
        journal.append(new Entry("a", 1));
        journal.append(List.of(new Entry("b", 2), new Entry("c", 3)));
        Path file = disk.folder().resolve("entries.jsonl");
        Files.write(file, "{\"key\":\"d\",\"val".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        var reopened = Disk.open(root, "n0").journal("entries", Entry.class);
        assertEquals(List.of(new Entry("a", 1), new Entry("b", 2), new Entry("c", 3)), reopened.records());
        reopened.append(new Entry("e", 5)); // on a line of its own: the torn bytes are gone
        assertEquals(List.of(new Entry("a", 1), new Entry("b", 2), new Entry("c", 3), new Entry("e", 5)),
                Disk.open(root, "n0").journal("entries", Entry.class).records());
    }

    @Test
    void replaceRewritesTheJournalAndLaterAppendsFollowIt() throws Exception {
        var journal = Disk.open(root, "n0").journal("entries", Entry.class);
        journal.append(List.of(new Entry("a", 1), new Entry("a", 2)));
        journal.replace(List.of(new Entry("a", 2)));
        journal.append(new Entry("b", 3));
        assertEquals(List.of(new Entry("a", 2), new Entry("b", 3)),
                Disk.open(root, "n0").journal("entries", Entry.class).records());
    }
}
