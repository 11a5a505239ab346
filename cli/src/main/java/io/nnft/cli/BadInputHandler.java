package io.nnft.cli;

import io.nnft.training.TrainingDivergedException;
import picocli.CommandLine;

/**
 * Prints bad input as one clear line (exit 2), and a diverged training likewise (exit 1: the run failed, but it is
 * the data's or the settings' verdict, not a bug); anything else keeps its stack trace for bug reports.
 */
final class BadInputHandler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        if (ex instanceof BadInputException) {
            cl.getErr().println("error: " + ex.getMessage());
            return Nnft.EXIT_BAD_INPUT;
        }
        if (ex instanceof TrainingDivergedException) {
            cl.getErr().println("error: " + ex.getMessage());
            return Nnft.EXIT_FAILED;
        }
        ex.printStackTrace(cl.getErr());
        return 1;
    }
}
