package io.nnft.cli;

import picocli.CommandLine;

/** Prints bad input as one clear line (exit 2); anything else keeps its stack trace for bug reports. */
final class BadInputHandler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        if (ex instanceof BadInputException) {
            cl.getErr().println("error: " + ex.getMessage());
            return Nnft.EXIT_BAD_INPUT;
        }
        ex.printStackTrace(cl.getErr());
        return 1;
    }
}
