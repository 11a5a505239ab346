package io.nnft.planning;

import java.io.IOException;

/** The training cases of a dataset, read one at a time (so a few hundred cases never sit in memory together). */
public interface CaseSource {
    int size();

    String caseId(int index);

    /** Reads every channel and the segmentation of one case; called once per case. */
    CaseData read(int index) throws IOException;
}
