package lib;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A node's durable state: the one owner of where it lives on disk, how it is written
 * so that a SIGKILL loses nothing acknowledged, and how old state is cleaned.
 *
 * <p>Where. Under the system temp dir (every node's working directory, shared by every
 * node and every run), in {@code gossip-glomers/run-PID-START/NODE/}: PID and START
 * (epoch milliseconds) name this process's parent, and NODE the node id. The parent
 * tells a restart from a new run: Maelstrom runs each test in one JVM that starts, and
 * after a kill restarts, every node, and the bench starts each run's nodes from a
 * spawner process of the run's own. A restarted node therefore finds its own earlier
 * state, and a node of a new run an empty folder, even where pids are reused (the start
 * time differs). A node reads no folder but its own.
 *
 * <p>Cleaning. Opening removes the folder of every run whose parent has gone: its pid
 * is not alive, or is alive with another start time. Such a run can restart no node, so
 * its state is dead; the state on disk is then that of the runs still going, each
 * bounded by what its nodes keep.
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

    /** The folder every run's state lives under, in the system temp dir. */
    public static final String ROOT = "gossip-glomers";

    private static final Pattern RUN = Pattern.compile("run-(\\d+)-(\\d+)");
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private final Path folder;

    private Disk(Path folder) {
        this.folder = folder;
    }

    /**
     * This node's state for the run of this process's parent, under the system temp dir;
     * removes dead runs' state first. Call it at init, when the node id is known.
     */
    public static Disk open(String nodeId) {
        Path root = Path.of(System.getProperty("java.io.tmpdir"), ROOT);
        ProcessHandle run = ProcessHandle.current().parent().orElse(ProcessHandle.current());
        return open(root, run, nodeId);
    }

    /**
     * The state of node {@code nodeId} in the run of process {@code run}, under
     * {@code root}; removes the folder of every run there whose process has gone.
     */
    public static Disk open(Path root, ProcessHandle run, String nodeId) {
        try {
            Files.createDirectories(root);
            removeDeadRuns(root);
            Path folder = root.resolve(runName(run)).resolve(fileName(nodeId));
            Files.createDirectories(folder);
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

    private static String runName(ProcessHandle run) {
        return "run-" + run.pid() + "-" + startMillis(run).orElse(0L);
    }

    private static Optional<Long> startMillis(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli);
    }

    /** A node id as a file name: as it is when it is a plain one (n1), else hex, so no id reaches another's folder. */
    private static String fileName(String nodeId) {
        if (SAFE_ID.matcher(nodeId).matches() && !nodeId.startsWith(".")) return nodeId;
        var hex = new StringBuilder("x-");
        for (byte b : nodeId.getBytes(StandardCharsets.UTF_8)) hex.append(String.format("%02x", b));
        return hex.toString();
    }

    private static void removeDeadRuns(Path root) throws IOException {
        try (DirectoryStream<Path> runs = Files.newDirectoryStream(root)) {
            for (Path run : runs) {
                Matcher name = RUN.matcher(run.getFileName().toString());
                if (name.matches() && !alive(Long.parseLong(name.group(1)), Long.parseLong(name.group(2)))) removeTree(run);
            }
        }
    }

    /** Whether process {@code pid} is alive and started at {@code start}; a start it does not tell counts as alive. */
    private static boolean alive(long pid, long start) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .map(p -> startMillis(p).map(s -> s == start).orElse(true)).orElse(false);
    }

    /** Removes a folder and all in it; another node of a new run may be removing it too. */
    private static void removeTree(Path folder) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(folder)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        } catch (NoSuchFileException | UncheckedIOException e) {
            return; // removed meanwhile
        }
        for (Path path : paths) Files.deleteIfExists(path);
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
