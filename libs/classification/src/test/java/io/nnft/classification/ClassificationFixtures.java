package io.nnft.classification;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Shared test data: the demo's pretrained task-A model and synthetic classification sets. */
final class ClassificationFixtures {
    /** The slim PlainConvUNet nnft pretrained on synthetic task A (repo's demo/, features 8-64, patch 32³). */
    static final Path DEMO_MODEL = Path.of("../../demo/pretrained/Dataset101_SynthA");

    private ClassificationFixtures() {
    }

    static Path demoPlans() {
        return DEMO_MODEL.resolve("plans.json");
    }

    /** Preprocessed synthetic set (no _seg.npy) with a one-fold splits file: the first {@code train} ids train. */
    static Path preprocessed(Path dir, int cases, int train, long seed) throws IOException {
        List<SyntheticClassificationSet.Case> cs = SyntheticClassificationSet.generate(cases, 32, 1.0, seed);
        SyntheticClassificationSet.writePreprocessed(dir, cs);
        StringBuilder tr = new StringBuilder();
        StringBuilder va = new StringBuilder();
        for (int i = 0; i < cs.size(); i++) {
            StringBuilder sb = i < train ? tr : va;
            sb.append(sb.length() == 0 ? "" : ", ").append('"').append(cs.get(i).id()).append('"');
        }
        Files.writeString(dir.resolve("splits_final.json"), "[{\"train\": [" + tr + "], \"val\": [" + va + "]}]");
        return dir;
    }
}
