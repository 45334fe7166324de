package bench.view;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/** Draws every picture of a run into its folder, beside results.json. */
public final class Pictures {

    /** The files every run's folder gets, besides further pages of the Lamport diagram. */
    public static final List<String> FILES = Stream.concat(Charts.FILES.stream(),
            Stream.of(LamportDiagram.fileName(1), "timeline.html")).toList();

    private Pictures() {
    }

    /**
     * Writes the charts, the Lamport diagram and the timeline, side by side on the cores
     * the stopped nodes left free; returns the files written.
     */
    public static List<String> write(Path dir, RunTrace run) throws IOException {
        int pages;
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> charts = pool.submit(() -> {
                Charts.write(dir, run);
                return null;
            });
            Future<?> timeline = pool.submit(() -> {
                Timeline.write(dir, run);
                return null;
            });
            pages = LamportDiagram.write(dir, run, pool);
            join(charts);
            join(timeline);
        }
        List<String> files = new ArrayList<>(FILES);
        for (int p = 2; p <= pages; p++) {
            files.add(LamportDiagram.fileName(p));
        }
        return files;
    }

    /** Waits for {@code task}, passing on what it threw. */
    static void join(Future<?> task) throws IOException {
        try {
            task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while drawing", e);
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case IOException io -> throw io;
                case RuntimeException r -> throw r;
                case Error err -> throw err;
                default -> throw new IOException(e.getCause());
            }
        }
    }
}
