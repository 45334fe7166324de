package tests.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import lib.Disk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where {@link Disk} keeps a node's state, what it cleans, and how its journals read back. */
class DiskTest {

    record Entry(String key, long value) {}

    static final ProcessHandle ME = ProcessHandle.current();

    @TempDir
    Path root;

    static long start(ProcessHandle process) {
        return process.info().startInstant().orElseThrow().toEpochMilli();
    }

    /** A pid that was alive and has ended. */
    static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    @Test
    void removesRunsWhoseProcessIsGoneOrStartedAtAnotherTimeAndKeepsLiveOnes() throws Exception {
        Path dead = Files.createDirectories(root.resolve("run-" + deadPid() + "-1234/n0"));
        Path reused = Files.createDirectories(root.resolve("run-" + ME.pid() + "-" + (start(ME) - 1000) + "/n0"));
        Path live = Files.createDirectories(root.resolve("run-" + ME.pid() + "-" + start(ME) + "/n1"));
        Path foreign = Files.createDirectories(root.resolve("not-a-run"));
        Files.writeString(dead.resolve("values.jsonl"), "{}\n");
        Disk disk = Disk.open(root, ME, "n0");
        assertFalse(Files.exists(dead.getParent()), "a run whose process ended");
        assertFalse(Files.exists(reused.getParent()), "a run of a pid now held by another process");
        assertTrue(Files.exists(live), "this run's other node");
        assertTrue(Files.exists(foreign), "what is not a run's");
        assertEquals(live.resolveSibling("n0"), disk.folder());
    }

    @Test
    void journalsReadBackWhatWasAppendedAndDropATornLastLine() throws Exception {
        Disk disk = Disk.open(root, ME, "n0");
        var journal = disk.journal("entries", Entry.class);
        assertEquals(List.of(), journal.records());
        journal.append(new Entry("a", 1));
        journal.append(List.of(new Entry("b", 2), new Entry("c", 3)));
        Path file = disk.folder().resolve("entries.jsonl");
        Files.write(file, "{\"key\":\"d\",\"val".getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.APPEND);
        var reopened = Disk.open(root, ME, "n0").journal("entries", Entry.class);
        assertEquals(List.of(new Entry("a", 1), new Entry("b", 2), new Entry("c", 3)), reopened.records());
        reopened.append(new Entry("e", 5)); // on a line of its own: the torn bytes are gone
        assertEquals(List.of(new Entry("a", 1), new Entry("b", 2), new Entry("c", 3), new Entry("e", 5)),
                Disk.open(root, ME, "n0").journal("entries", Entry.class).records());
    }

    @Test
    void replaceRewritesTheJournalAndLaterAppendsFollowIt() throws Exception {
        var journal = Disk.open(root, ME, "n0").journal("entries", Entry.class);
        journal.append(List.of(new Entry("a", 1), new Entry("a", 2)));
        journal.replace(List.of(new Entry("a", 2)));
        journal.append(new Entry("b", 3));
        assertEquals(List.of(new Entry("a", 2), new Entry("b", 3)),
                Disk.open(root, ME, "n0").journal("entries", Entry.class).records());
    }

    @Test
    void everyNodeIdGetsAFolderOfItsOwnInsideTheRun() {
        Path run = Disk.open(root, ME, "n0").folder().getParent();
        for (String id : List.of("..", "../n0", "a/b", "", ".hidden", "n 1")) {
            Path folder = Disk.open(root, ME, id).folder();
            assertEquals(run, folder.getParent(), id);
            assertNotEquals(run.resolve("n0"), folder, id);
        }
    }
}
