package bench.view;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Draws every picture of a run into its folder, beside results.json. */
public final class Pictures {

    /** The files every run's folder gets, besides further pages of the Lamport diagram. */
    public static final List<String> FILES = List.of("latency-raw.png", "rate.png", LamportDiagram.fileName(1),
            "timeline.html");

    private Pictures() {
    }

    /** Writes the charts, the Lamport diagram and the timeline; returns the files written. */
    public static List<String> write(Path dir, RunTrace run) throws IOException {
        Charts.write(dir, run);
        int pages = LamportDiagram.write(dir, run);
        Timeline.write(dir, run);
        List<String> files = new ArrayList<>(FILES);
        for (int p = 2; p <= pages; p++) {
            files.add(LamportDiagram.fileName(p));
        }
        return files;
    }
}
