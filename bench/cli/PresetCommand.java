package bench.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code bench command PART}: a part's official flags, for run.sh to hand to Maelstrom; without PART, the parts. */
@Command(name = "command", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = TestCommand.USAGE,
        description = "Prints a part's Maelstrom arguments, one a line: test -w W FLAGS... --bin ./maelstrom.sh NAME;"
                + " without PART, the parts, one a line.")
public final class PresetCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "PART", completionCandidates = Challenges.PartNames.class,
            description = "One of ${COMPLETION-CANDIDATES}.")
    String part;

    @Override
    public Integer call() {
        if (part == null) {
            Challenges.parts().forEach(System.out::println);
            return 0;
        }
        Challenges.Challenge preset = Challenges.presetOrComplain(part);
        if (preset == null) {
            return TestCommand.USAGE;
        }
        var words = new ArrayList<>(List.of("test", "-w", preset.workload()));
        words.addAll(preset.flags());
        words.addAll(List.of("--bin", "./maelstrom.sh", preset.script()));
        words.forEach(System.out::println);
        return 0;
    }
}
