package io.nnft.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code nnft check <what>}: compare the engine with a reference recorded by nnU-Net's own code. */
@Command(name = "check", mixinStandardHelpOptions = true, description = "Compare the engine with nnU-Net references.",
        subcommands = {CheckTrainStepCommand.class})
public final class CheckCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a check subcommand is required");
    }
}
