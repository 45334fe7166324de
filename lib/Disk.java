package lib;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A node's durable state: the one owner of where it lives on disk, how it is written
 * so that a SIGKILL loses nothing acknowledged, and how old state is cleaned.
 *
 * <p>Which state is this node's. A node must find its own state after a restart within
 * a test, and none after the start of a new test, even one run by the same Maelstrom
 * process with the same node ids ({@code --test-count}) or at the same time as another
 * test on the same machine. Nothing about the process tells these apart (its parent, its
 * working directory and its id are the same in every test, and a wrapper that does not
 * exec changes the parent between restarts), but Maelstrom does: it makes new services
 * for every test, and they are never partitioned away from the nodes. So at init the
 * node names its state folder in {@code lin-kv}, under the key
 * {@code gossip-glomers/NODE}: it offers a fresh random name with a compare-and-set that
 * creates the key only where there is none. If that succeeds, this is the node's first
 * start in this test and its folder is new; if the key holds a name already, this is a
 * restart and the folder is the one named. That costs two messages at a node's start
 * and none afterwards. A node with no {@code lin-kv} to ask (one run by hand) keeps its
 * state for this process alone, and says so.
 *
 * <p>Where. Under the system temp dir (every node's working directory, shared by every
 * node and every run), in {@code gossip-glomers-USER/NAME/}, a folder each user makes
 * for itself alone (mode 700), so that no user's folder stands in another's way.
 *
 * <p>Cleaning. Each node holds a lock on its folder while it lives. After a node opens
 * its folder, it looks at every other folder, on a thread of its own: one that no
 * process holds is marked abandoned, with the time on the system's monotonic clock
 * ({@link System#nanoTime}, the time since boot on Linux and macOS); one that has stayed
 * unheld for an hour since it was marked is removed (a killed node is restarted within
 * seconds, so its test is over), and so is one marked in an earlier boot, as no process
 * outlives a reboot. A node that opens its folder again takes the mark off. One node at
 * a time cleans, at most once a minute: a test's nodes start at once, and each looking
 * over hundreds of folders would cost every one of them CPU within init's deadline. No
 * name and no cleaning depend on the wall clock, so a clock step loses nothing.
 *
 * <p>Durability. A {@link Journal} is an append-only file of JSON lines, each
 * {@link Journal#append} one write call. Data handed to write() is in the kernel's page
 * cache when the call returns, and a process killed after that, even by SIGKILL, loses
 * none of it: the file holds it whatever happens to the process. So a node that appends
 * before it acknowledges never acknowledges what a kill can take, with no fsync (which
 * would cost milliseconds per write). A machine crash or power loss could lose the page
 * cache; that is out of scope here, as Maelstrom kills processes, not machines. A kill
 * in the middle of a write can leave a torn last line: opening drops it (that write
 * returned to no one, so nothing it held was acknowledged), and truncates the file back
 * to its last whole line so that later appends start on a line of their own.
 * {@link Journal#replace} rewrites a journal whole through a new file renamed over the
 * old, which a kill leaves either old or new.
 */
public final class Disk {

    /** The start of the folder's name, in the system temp dir, that holds every run's state: one for each user. */
    public static final String ROOT = "gossip-glomers-";
    /** The lin-kv key, before the node id, that names a node's state folder for one test. */
    public static final String KEY = "gossip-glomers/";
    /** How long a folder must have been held by no process, since it was first seen so, before it is removed. */
    public static final Duration ABANDONED = Duration.ofHours(1);
    /** How long a node keeps asking lin-kv for its folder's name before it does without. */
    private static final Duration NAMING_DEADLINE = Duration.ofSeconds(5);
    private static final String LOCK = ".lock";
    /** The start of the name of a folder being removed. */
    private static final String REMOVED = ".removed-";
    /** The mark of a folder seen unheld: the monotonic time it was first seen so. */
    public static final String ABANDONED_MARK = ".abandoned";
    /** How often, at most, the folders are looked over. */
    private static final Duration CLEANING_PERIOD = Duration.ofMinutes(1);
    /** The root's own mark: the monotonic time its last cleaning ended. */
    private static final String CLEANED = ".cleaned";
    /** Held by the one process cleaning the root. */
    private static final String CLEANING = ".cleaning";

    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}");
    /** The locks this process holds: never released, so that they last as long as it does. */
    private static final List<FileChannel> HELD = new ArrayList<>();

    private final Path folder;

    private Disk(Path folder) {
        this.folder = folder;
    }

    /**
     * This node's state folder for the test it runs in, named through {@code lin-kv}
     * (see above): call it at init, in an {@link Node#onInit} listener, when the node's
     * id is known. It waits for lin-kv (a few seconds at most), and then cleans the
     * root, if that is due, on a thread of its own.
     */
    public static Disk open(Node node) {
        Path root = root();
        Disk disk = open(root, nameInThisTest(node));
        Thread.ofPlatform().daemon().name("cleaning").start(() -> cleanIfDue(root));
        return disk;
    }

    /** The folder every test's state lives under for this user: {@code gossip-glomers-USER} in the temp dir. */
    public static Path root() {
        return Path.of(System.getProperty("java.io.tmpdir"), ROOT + fileName(System.getProperty("user.name", "user")));
    }

    /**
     * The state folder {@code name} under {@code root}, made and locked by this process
     * (a lock another process holds is logged and waited for no longer).
     */
    public static Disk open(Path root, String name) {
        if (!SAFE_NAME.matcher(name).matches()) throw new IllegalArgumentException("not a folder name: " + name);
        try {
            makePrivate(root);
            Path folder = Files.createDirectories(root.resolve(name));
            lock(folder);
            return new Disk(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The folder this node's state is in. */
    public Path folder() {
        return folder;
    }

    /** The journal {@code name} in this node's folder, of records of {@code type}, read once here. */
    public <T extends Record> Journal<T> journal(String name, Class<T> type) {
        Binding.check(type);
        return new Journal<>(folder.resolve(name + ".jsonl"), type);
    }

    /**
     * The name of this node's folder in this test: a new one if lin-kv has none for it
     * yet, else the one it has. Without an answer from lin-kv, a new one of this process's.
     */
    private static String nameInThisTest(Node node) {
        String key = KEY + node.id();
        String fresh = fileName(node.id()) + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1)
                + Long.toHexString(ProcessHandle.current().pid());
        var lin = KV.lin(node);
        long deadline = System.nanoTime() + NAMING_DEADLINE.toNanos();
        boolean restarted = false; // the key names a folder already
        while (true) {
            try {
                if (!restarted) {
                    lin.cas(key, fresh, fresh, true); // one that timed out yet happened succeeds again
                    return fresh;
                }
                JsonNode named = lin.read(key, JsonNode.class);
                if (!named.isTextual() || !SAFE_NAME.matcher(named.asText()).matches()) {
                    throw new IllegalStateException("lin-kv's " + key + " is " + named + ", not a folder name");
                }
                Node.log("restarted within this test: this node's state is in %s", named.asText());
                return named.asText();
            } catch (RpcError e) {
                if (!restarted && e.code() == RpcError.PRECONDITION_FAILED) {
                    restarted = true;
                } else if (e.definite() || System.nanoTime() > deadline) {
                    Node.log("lin-kv did not name this node's state folder (%s): its state lasts as long as this"
                            + " process", e);
                    return fresh;
                }
            }
        }
    }

    /** Makes {@code root}, for this user alone; refuses one another user owns. */
    private static void makePrivate(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            try {
                Files.createDirectories(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException e) {
                Files.createDirectories(root);
            } catch (FileAlreadyExistsException e) {
                // made meanwhile by another node
            }
        }
        if (!Files.isWritable(root)) throw new IOException(root + " is not this user's to write in");
    }

    /** Locks {@code folder} for this process's lifetime and takes off any mark; another live holder is only logged. */
    private static void lock(Path folder) throws IOException {
        FileChannel channel = FileChannel.open(folder.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            if (channel.tryLock() == null) {
                Node.log("%s is held by another live process: an earlier incarnation still ending?", folder);
            }
        } catch (OverlappingFileLockException e) {
            // this process holds it already
        }
        Files.deleteIfExists(folder.resolve(ABANDONED_MARK));
        synchronized (HELD) {
            HELD.add(channel);
        }
    }

    /** A node id as a file name: as it is when it is a plain one (n1), else hex, so no id reaches another's folder. */
    private static String fileName(String nodeId) {
        if (SAFE_NAME.matcher(nodeId).matches() && nodeId.length() <= 64) return nodeId;
        var hex = new StringBuilder("x-");
        for (byte b : nodeId.getBytes(StandardCharsets.UTF_8)) hex.append(String.format("%02x", b));
        return hex.length() <= 64 ? hex.toString() : hex.substring(0, 48) + "-" + Integer.toHexString(nodeId.hashCode());
    }

    /**
     * Cleans {@code root} unless it was cleaned less than a minute ago or another process
     * is cleaning it: marks or removes every folder that no process holds (see above),
     * and finishes removing what a removal cut short left. True if it cleaned. Never
     * fails: what it cannot clean now, a later start will.
     */
    public static boolean cleanIfDue(Path root) {
        try (FileChannel channel = FileChannel.open(root.resolve(CLEANING), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            if (lock == null) return false;
            Long last = markedAt(root.resolve(CLEANED));
            long now = System.nanoTime();
            if (last != null && now - last >= 0 && now - last < CLEANING_PERIOD.toNanos()) return false; // a negative age: before a reboot
            removeAbandoned(root);
            Files.writeString(root.resolve(CLEANED), Long.toString(System.nanoTime()));
            return true;
        } catch (IOException | UncheckedIOException | OverlappingFileLockException e) {
            return false; // another thread of this process is cleaning it, or the root is not ours to write
        }
    }

    private static void removeAbandoned(Path root) throws IOException {
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(root)) {
            for (Path folder : folders) {
                String name = folder.getFileName().toString();
                if (!Files.isDirectory(folder)) continue;
                try {
                    if (name.startsWith(REMOVED)) removeTree(folder);
                    else markOrRemove(folder);
                } catch (IOException | UncheckedIOException e) {
                    // another node is cleaning it too, or it is not ours to clean
                }
            }
        }
    }

    /**
     * Under the folder's lock, if no process holds it: marks it, or removes it if its mark
     * is old enough. A removal first renames the folder out of the way, so that no other
     * node can open its lock anew (and think it unheld) while its files go.
     */
    private static void markOrRemove(Path folder) throws IOException {
        try (FileChannel channel = FileChannel.open(folder.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            if (lock == null) return;
            long now = System.nanoTime();
            Path mark = folder.resolve(ABANDONED_MARK);
            Long since = markedAt(mark);
            if (since == null) {
                Files.writeString(mark, Long.toString(now));
                return;
            }
            if (now - since >= 0 && now - since < ABANDONED.toNanos()) return; // a negative age: marked before a reboot
            Path removed = folder.resolveSibling(REMOVED + folder.getFileName() + "-" + ProcessHandle.current().pid());
            Files.move(folder, removed, StandardCopyOption.ATOMIC_MOVE);
            removeTree(removed);
        } catch (NoSuchFileException | OverlappingFileLockException e) {
            // removed meanwhile, or held by this very process
        }
    }

    /** Removes a folder and everything in it. */
    private static void removeTree(Path folder) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(folder)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path path : paths) Files.deleteIfExists(path);
    }

    /** The time in a mark, a folder's or the root's, or null when there is none (or one torn by a kill, which is rewritten). */
    private static Long markedAt(Path mark) throws IOException {
        try {
            return Long.parseLong(Files.readString(mark).trim());
        } catch (NoSuchFileException | NumberFormatException e) {
            return null;
        }
    }

    /**
     * An append-only file of records, one JSON line each. Safe to use from any thread;
     * callers that must keep the file's order in step with their own state append under
     * their own lock.
     */
    public static final class Journal<T extends Record> {
        private final Path file;
        private final Class<T> type;
        private final List<T> records;
        private FileChannel channel; // guarded by this

        private Journal(Path file, Class<T> type) {
            this.file = file;
            this.type = type;
            try {
                this.records = load();
                this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The records the file held when it was opened, in order. */
        public List<T> records() {
            return records;
        }

        /** Appends one record: on disk, for a process crash, when this returns. */
        public void append(T record) {
            append(List.of(record));
        }

        /** Appends records in one write: all on disk, for a process crash, when this returns. */
        public synchronized void append(List<T> batch) {
            if (batch.isEmpty()) return;
            try {
                write(channel, batch);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Replaces the file's records by {@code all}, through a new file renamed over it: a kill leaves the old or the new. */
        public synchronized void replace(List<T> all) {
            Path fresh = file.resolveSibling(file.getFileName() + ".new");
            try {
                try (FileChannel out = FileChannel.open(fresh, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    write(out, all);
                }
                Files.move(fresh, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                channel.close();
                channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void write(FileChannel out, List<T> batch) throws IOException {
            var lines = new StringBuilder();
            for (T record : batch) lines.append(Json.write(Binding.write(record))).append('\n');
            ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) out.write(bytes);
        }

        /** Reads the whole lines, and cuts off a torn last one, which a kill in mid-write leaves. */
        private List<T> load() throws IOException {
            if (!Files.exists(file)) return List.of();
            byte[] bytes = Files.readAllBytes(file);
            int end = bytes.length;
            while (end > 0 && bytes[end - 1] != '\n') end--;
            if (end < bytes.length) {
                Node.log("%s: dropping a torn last line of %d bytes", file, bytes.length - end);
                try (FileChannel cut = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    cut.truncate(end);
                }
            }
            var out = new ArrayList<T>();
            for (String line : new String(bytes, 0, end, StandardCharsets.UTF_8).split("\n")) {
                if (line.isEmpty()) continue;
                try {
                    out.add(Binding.read(Json.parse(line), type));
                } catch (JsonProcessingException | IllegalArgumentException e) {
                    Node.log("%s: skipping a record that does not read: %s (%s)", file, line, e.getMessage());
                }
            }
            return List.copyOf(out);
        }
    }
}
