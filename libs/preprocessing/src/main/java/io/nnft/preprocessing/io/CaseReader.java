package io.nnft.preprocessing.io;

import io.nnft.preprocessing.RawCase;

import java.io.IOException;

/** Turns one raw case's files into arrays in nnU-Net's (z, y, x) order, as its image reader would. */
@FunctionalInterface
public interface CaseReader {
    RawCase read(RawCaseFiles files) throws IOException;
}
