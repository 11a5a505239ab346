package io.nnft.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ./nnft} command line: the engines without any service. Exit codes: 0 ok, 2 bad input,
 * 1 anything else (a diverged training among them, with its one-line reason). Each subcommand lives in its own class and is registered here.
 */
@Command(name = "nnft", mixinStandardHelpOptions = true, version = "nnft 0.1.0",
        description = "Fine-tune nnU-Net models from pretrained checkpoints and export their encoders.",
        subcommands = {
            CommandLine.HelpCommand.class,
            TrainCommand.class,
            SynthCommand.class,
            BenchCommand.class,
            ForwardCommand.class,
            InspectCommand.class,
            PlanCommand.class,
            FingerprintCommand.class,
            PreprocessCommand.class,
            PredictCommand.class,
            EvaluateCommand.class,
            VerifyDatasetCommand.class,
            io.nnft.cli.gateway.SubmitCommand.class, io.nnft.cli.gateway.WatchCommand.class, io.nnft.cli.gateway.FetchCommand.class, io.nnft.cli.gateway.JobsCommand.class, io.nnft.cli.gateway.CancelCommand.class,
            ExportEncoderCommand.class,
            LocalCommand.class,
            DemoPretrainCommand.class,
            ClassifyCommand.class,
            DoctorCommand.class,
            CheckCommand.class,
        })
public final class Nnft implements Runnable {
    public static final int EXIT_BAD_INPUT = 2;
    public static final int EXIT_FAILED = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    public static CommandLine commandLine() {
        return commandLine(CommandLine.defaultFactory());
    }

    /** @param factory builds the commands (tests: a train command with their own checkpoint writer) */
    public static CommandLine commandLine(CommandLine.IFactory factory) {
        CommandLine cl = new CommandLine(new Nnft(), factory);
        cl.setExecutionExceptionHandler(new BadInputHandler());
        cl.setExitCodeExceptionMapper(t -> t instanceof BadInputException ? EXIT_BAD_INPUT : 1);
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
