package bench.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code bench command PART}: a part's official flags, for run.sh to hand to Maelstrom. */
@Command(name = "command", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = TestCommand.USAGE,
        description = "Prints a part's Maelstrom arguments, one a line: test -w W FLAGS... --bin ./maelstrom.sh NAME")
public final class PresetCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PART", description = "1, 2, 3a-3e, 4, 5a-5c, 6a-6c, lin-kv-a to lin-kv-c")
    String part;

    @Override
    public Integer call() {
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
