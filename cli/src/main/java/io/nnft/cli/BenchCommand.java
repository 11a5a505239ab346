package io.nnft.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code nnft bench <what>}: timing harnesses of the engines, one subcommand each. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Time an engine on this machine.",
        subcommands = {
            BenchTrainStepCommand.class,
            BenchPipelineCommand.class,
            BenchFingerprintCommand.class,
            BenchPreprocessCommand.class,
            BenchPredictCommand.class,
            BenchClassificationCommand.class,
        })
public final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a bench subcommand is required");
    }
}
