///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES lib/package-info.java lib/RpcError.java bench/**.java
//MAIN BenchCommand
//JAVA_OPTIONS -XX:+UseSerialGC -XX:TieredStopAtLevel=1
//DESCRIPTION A Maelstrom-compatible test bench for Gossip Glomers nodes: same command line, same workloads, same verdicts.

import bench.cli.PresetCommand;
import bench.cli.ServeCommand;
import bench.cli.StartupCommand;
import bench.cli.SweepCommand;
import bench.cli.TestCommand;
import bench.cli.TrainingCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line: {@code bench test ...} with Maelstrom's flags, plus presets per challenge part. */
@Command(name = "bench", mixinStandardHelpOptions = true, version = "bench 1.0",
        description = "Runs Maelstrom workloads against real node processes, judged as Maelstrom judges them.",
        subcommands = {TestCommand.class, SweepCommand.class, PresetCommand.class, StartupCommand.class,
                ServeCommand.class, TrainingCommand.class},
        exitCodeOnInvalidInput = BenchCommand.USAGE)
class BenchCommand {

    /** Exit code for a command line the bench cannot run. */
    static final int USAGE = TestCommand.USAGE;

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new BenchCommand());
        cli.getSubcommands().get("test").setOverwrittenOptionsAllowed(true);
        cli.getSubcommands().get("sweep").setStopAtUnmatched(true);
        System.exit(cli.execute(args));
    }
}
