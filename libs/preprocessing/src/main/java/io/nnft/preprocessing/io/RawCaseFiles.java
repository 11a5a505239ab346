package io.nnft.preprocessing.io;

import io.nnft.dataset.RawDataset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of one raw case: {@code imagesTr/<case>_<XXXX><file_ending>} per channel and
 * {@code labelsTr/<case><file_ending>}. A case without a label file is an inference case.
 *
 * @param label null when the case has no label file
 */
public record RawCaseFiles(String identifier, List<Path> images, Path label) {

    /**
     * The cases of an opened raw dataset, sorted by identifier as nnU-Net orders them, each checked
     * to have one file per channel named in dataset.json.
     */
    public static List<RawCaseFiles> list(RawDataset dataset) {
        int channels = dataset.datasetJson().numChannels();
        List<RawCaseFiles> out = new ArrayList<>();
        for (io.nnft.dataset.RawCase c : dataset.cases()) {
            if (c.images().size() != channels) {
                throw new IllegalArgumentException("case " + c.id() + ": expected " + channels
                        + " channel files (dataset.json channel_names), found " + c.images().size() + ": " + c.images());
            }
            out.add(new RawCaseFiles(c.id(), c.images(), c.hasLabel() ? c.label() : null));
        }
        return out;
    }

    /** {@link #list(RawDataset)} of the folder. */
    public static List<RawCaseFiles> list(Path rawDir) throws IOException {
        return list(RawDataset.open(rawDir));
    }
}
