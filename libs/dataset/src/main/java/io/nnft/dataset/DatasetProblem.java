package io.nnft.dataset;

/**
 * One thing wrong with a raw dataset: where (file, or file and key), what was checked, what was
 * expected and what was found. Warnings are what nnU-Net only prints (origin, direction or affine
 * differing between image and label); errors are what makes it stop.
 */
public record DatasetProblem(Severity severity, String where, String what, String expected, String found) {
    public enum Severity {
        ERROR,
        WARNING
    }

    public static DatasetProblem error(String where, String what, String expected, String found) {
        return new DatasetProblem(Severity.ERROR, where, what, expected, found);
    }

    public static DatasetProblem warning(String where, String what, String expected, String found) {
        return new DatasetProblem(Severity.WARNING, where, what, expected, found);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public String toString() {
        return severity + " " + where + ": " + what + ": expected " + expected + ", found " + found;
    }
}
