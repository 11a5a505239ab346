package io.nnft.cli;

import io.nnft.training.PausingCheckpointWriter;
import picocli.CommandLine;

import java.util.Arrays;

/**
 * {@code nnft} whose train command writes checkpoints through a {@link PausingCheckpointWriter}, for
 * {@link TrainKillResumeTest}: {@code java -cp <test classpath> io.nnft.cli.PausingNnft after=2 train ...}.
 */
public final class PausingNnft {
    private PausingNnft() {
    }

    public static void main(String[] args) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            @SuppressWarnings("unchecked")
            public <K> K create(Class<K> cls) throws Exception {
                return cls == TrainCommand.class ? (K) new TrainCommand(PausingCheckpointWriter.parse(args[0]))
                        : defaults.create(cls);
            }
        };
        System.exit(Nnft.commandLine(factory).execute(Arrays.copyOfRange(args, 1, args.length)));
    }
}
