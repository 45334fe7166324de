package tests.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bench.Json;
import bench.Options;
import bench.cli.Challenges;
import bench.cli.TestCommand;
import bench.net.Network;
import bench.report.Results;
import bench.report.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Presets: the official flags, overridable, and each part's criteria judged on results. */
class ChallengesTest {

    @Test
    void measuredValuesShowFractionsThatTwoDecimalsWouldRoundToAWholeNumber() {
        assertEquals("0.9997", Challenges.Criterion.shown(0.99968));
        assertEquals("0.004", Challenges.Criterion.shown(0.0041));
        assertEquals("1.00", Challenges.Criterion.shown(1.0));
        assertEquals("213.00", Challenges.Criterion.shown(213));
        assertEquals("4.23", Challenges.Criterion.shown(4.2349));
    }

    @Test
    void presetFlagsAreDefaultsSoExplicitFlagsWinAndTheSolutionIsTheDefaultBin() throws Exception {
        Options options = TestCommand.parse("--challenge", "3d", "--nemesis", "partition", "--time-limit", "5");
        assertEquals("broadcast", options.workload());
        assertEquals(5, options.load().timeLimit(), "ours over the preset's");
        assertEquals(Path.of("maelstrom.sh").toRealPath(), options.program().bin());
        assertEquals(List.of("broadcast"), options.program().args());
        assertEquals(List.of(25, 100.0, 100L), List.of(options.cluster().nodeCount(), options.load().rate(),
                options.cluster().latencyMillis()));
        assertEquals(Set.of(Options.Fault.PARTITION), options.faults().enabled());

        assertEquals(List.of("broadcast", "hub-batch=1000"),
                TestCommand.parse("--challenge", "3e", "hub-batch=1000").program().args(), "node words follow the script");

        Options own = TestCommand.parse("--challenge", "1", "--bin", "/bin/true");
        assertEquals(List.of(), own.program().args(), "an explicit --bin replaces the default");
        assertEquals(1, own.cluster().nodeCount());

        Options plain = TestCommand.parse("-w", "echo", "--bin", "/bin/true");
        assertEquals(5, plain.cluster().nodeCount(), "Maelstrom's default without a preset");
        assertEquals(List.of(), plain.program().args());
    }

    @Test
    void theTestEntryPointRejectsABadCommandLineBeforeRunningAnything() {
        var unknownPart = assertThrows(IllegalArgumentException.class, () -> TestCommand.run("--challenge", "9z"));
        assertTrue(unknownPart.getMessage().contains("no preset for part 9z"), unknownPart.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TestCommand.run("--challenge", "1", "--no-such-flag"));
        assertThrows(IllegalArgumentException.class, () -> TestCommand.run("--challenge", "1", "--rate", "-1"));
    }

    /** 3d's flags, for a node program that does nothing. */
    static final String[] THREE_D = {"-w", "broadcast", "--bin", "/bin/true", "--node-count", "25", "--time-limit", "20",
            "--rate", "100", "--latency", "100", "--seed", "1"};

    static Results results(Verdict.Validity validity, long servers, long ops, long median, long max) {
        var options = TestCommand.parse(THREE_D);
        var details = Json.object();
        details.putObject("stable-latencies").put("0.5", median).put("1", max);
        var net = new Network.Stats(new Network.Counts(servers + 2 * ops, 0, servers + 2 * ops),
                new Network.Counts(2 * ops, 0, 2 * ops), new Network.Counts(servers, 0, servers));
        return new Results(options, validity, new Verdict(validity, details, List.of()),
                new Results.Ops(ops, ops, 0, 0, 1, false, true), net, Map.of(), List.of(), List.of(),
                new Results.Cost(1, servers, 0, 10, 0));
    }

    @Test
    void part3dJudgesMessagesPerOpAndStableLatencies() {
        var part = Challenges.get("3d");
        var good = results(Verdict.Validity.VALID, 2900, 100, 399, 599);
        assertTrue(part.criteria().stream().allMatch(c -> c.pass(good)));
        var chatty = results(Verdict.Validity.VALID, 3000, 100, 100, 100);
        assertEquals(List.of("servers msgs-per-op < 30"),
                part.criteria().stream().filter(c -> !c.pass(chatty)).map(Challenges.Criterion::name).toList());
        var slow = results(Verdict.Validity.VALID, 100, 100, 400, 600);
        assertEquals(2, part.criteria().stream().filter(c -> !c.pass(slow)).count());
        var lossy = results(Verdict.Validity.INVALID, 100, 100, 1, 1);
        assertFalse(part.criteria().getFirst().pass(lossy));
        assertEquals(30.0, Challenges.get("3e").criteria().get(1).value(chatty));
    }

    @Test
    void theCrdtChaptersPresetsJudgeOurTargetsOnTheirHealthyCommandsOnly() {
        var gSet = Challenges.get("g-set-a");
        assertEquals(List.of("checker valid", "servers msgs-per-op < 1", "stable latency median < 500 ms"),
                gSet.criteria().stream().map(Challenges.Criterion::name).toList());
        assertTrue(gSet.criteria().stream().allMatch(c -> c.pass(results(Verdict.Validity.VALID, 99, 100, 499, 5000))));
        assertEquals(2, gSet.criteria().stream().filter(c -> !c.pass(results(Verdict.Validity.VALID, 100, 100, 500, 1)))
                .count());
        var counter = Challenges.get("pn-counter-a").criteria().get(1);
        assertEquals("servers msgs-per-op < 0.5", counter.name());
        assertTrue(counter.pass(results(Verdict.Validity.VALID, 49, 100, 0, 0)));
        assertFalse(counter.pass(results(Verdict.Validity.VALID, 50, 100, 0, 0)));
        for (String part : List.of("g-set-b", "pn-counter-b")) {
            var partitioned = TestCommand.parse("--challenge", part);
            assertEquals(List.of("checker valid", "servers msgs-per-op (reported)"), Challenges.get(part)
                    .judged(partitioned).stream().map(Challenges.Criterion::name).toList(), part);
        }
    }

    @Test
    void underPartitionsThePerformancePartsJudgeOnlyCorrectness() {
        var calm = results(Verdict.Validity.VALID, 100, 100, 100, 100).options();
        var cut = TestCommand.parse(Stream.concat(Arrays.stream(THREE_D), Stream.of("--nemesis", "partition"))
                .toArray(String[]::new));
        assertEquals(4, Challenges.get("3d").judged(calm).size());
        assertEquals(List.of("checker valid"), Challenges.get("3d").judged(cut).stream().map(Challenges.Criterion::name).toList());
        assertEquals(1, Challenges.get("4").judged(cut).size(), "4's own flags have partitions: nothing to drop");
    }

    @Test
    void underKillsOrPausesNoAvailabilityBoundIsJudgedButSafetyIs() {
        var kill = TestCommand.parse("--challenge", "6b", "--nemesis", "partition,kill");
        assertEquals(List.of("checker valid"), Challenges.get("6b").judged(kill).stream().map(Challenges.Criterion::name)
                .toList());
        assertTrue(Challenges.get("6b").whyNotJudged(Challenges.get("6b").criteria().get(1), kill).contains("killed"));
        var pause = TestCommand.parse("--challenge", "5c", "--nemesis", "pause");
        assertEquals(3, Challenges.get("5c").judged(pause).size(), "5c only reports its availability and messages");
        assertEquals(1, Challenges.get("3d").judged(TestCommand.parse("--challenge", "3d", "--nemesis", "pause")).size(),
                "no performance bound under a fault the part lacks");
        assertEquals(2, Challenges.get("6b").judged(TestCommand.parse("--challenge", "6b")).size());
    }

    @Test
    void theNemesisTakesACommaSeparatedListOfFaults() {
        assertEquals(Set.of(Options.Fault.PARTITION, Options.Fault.KILL, Options.Fault.PAUSE),
                TestCommand.parse("--challenge", "1", "--nemesis", "pause, kill,partition").faults().enabled());
        assertEquals("partition,kill", TestCommand.parse("--challenge", "1", "--nemesis", "kill,partition").faults().names());
        assertEquals(Set.of(), TestCommand.parse("--challenge", "3b").faults().enabled());
        var unknown = assertThrows(IllegalArgumentException.class, () -> TestCommand.parse("--challenge", "1", "--nemesis",
                "partition,crash"));
        assertTrue(unknown.getMessage().contains("unknown fault crash"), unknown.getMessage());
    }

    @Test
    void everyPartOneToFourHasAPreset() {
        for (String part : List.of("1", "2", "3a", "3b", "3c", "3d", "3e", "4")) {
            assertTrue(Challenges.parts().contains(part), part);
        }
    }

    /**
     * The README's table of parts states each one's official command, which the presets
     * own: a row per preset (its script, its command, its headline figures), and its flags
     * are the preset's (in any order).
     */
    @Test
    void theReadmeTableOfPartsStatesEachPresetsFlags() throws Exception {
        Pattern row = Pattern.compile("^\\| (\\S+)[^|]* \\|(?: `[^`]+` \\|)? `(-w [^`]+)` \\|(?: [^|]* \\|)?$", Pattern.MULTILINE);
        Matcher m = row.matcher(Files.readString(Path.of("README.md")));
        Map<String, Map<String, String>> documented = new TreeMap<>();
        while (m.find()) {
            documented.put(m.group(1), flagValues(List.of(m.group(2).split(" "))));
        }
        for (String part : Challenges.parts()) {
            Challenges.Challenge c = Challenges.require(part);
            List<String> official = Stream.concat(Stream.of("-w", c.workload()), c.flags().stream()).toList();
            assertEquals(flagValues(official), documented.get(part), "README row of part " + part);
        }
        assertEquals(new TreeSet<>(Challenges.parts()), documented.keySet(), "a README row for every preset and no other");
    }

    private static Map<String, String> flagValues(List<String> words) {
        Map<String, String> flags = new TreeMap<>();
        for (int i = 0; i + 1 < words.size(); i += 2) {
            assertTrue(words.get(i).startsWith("-"), "a flag and its value, in pairs: " + words);
            flags.put(words.get(i), words.get(i + 1));
        }
        assertEquals(0, words.size() % 2, "every flag has a value: " + words);
        return flags;
    }
}
