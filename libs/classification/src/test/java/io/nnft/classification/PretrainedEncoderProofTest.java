package io.nnft.classification;

import io.nnft.training.FreezeSettings;
import io.nnft.training.TrainingListener;
import io.nnft.training.TrainingResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The proof: a head on the encoder nnft pretrained on synthetic task A (demo/) reaches balanced accuracy
 * >= 0.75 on 24 held-out cases of the related classification set (rods vs spheres), after 10 x 20 iterations
 * with 40 labelled cases and the encoder frozen (about 30 s on one core).
 */
class PretrainedEncoderProofTest {
    @TempDir
    Path tmp;

    @Test
    void headOnPretrainedEncoderClassifiesHeldOutCases() throws Exception {
        Path pre = ClassificationFixtures.preprocessed(tmp.resolve("pre"), 64, 40, 7);
        ClassificationInputs in = ClassificationInputs.of(pre, ClassificationFixtures.demoPlans(), "3d_fullres", "0",
                        pre.resolve("classification.csv"), tmp.resolve("model"))
                .withSplitsFile(pre.resolve("splits_final.json")).withPretrained(ClassificationFixtures.DEMO_MODEL);
        ClassificationSettings s = new ClassificationSettings().epochs(10).iterationsPerEpoch(20).batchSize(4).seed(1L)
                .dataThreads(1).initialLr(3e-3)
                .head(new HeadSettings(HeadSettings.Pooling.MAX, List.of(1), 0, List.of()))
                .freeze(new FreezeSettings("encoder", false, List.of()));
        TrainingResult<ClassificationEpochRecord> r = ClassificationTask.train(in, s, TrainingListener.NONE);

        ClassificationEpochRecord last = r.log().get(r.log().size() - 1);
        int heldOut = java.util.Arrays.stream(last.confusion()).mapToInt(row -> java.util.Arrays.stream(row).sum()).sum();
        assertThat(heldOut).isEqualTo(24);
        assertThat(last.balancedAccuracy()).as("final model's balanced accuracy on the held-out cases").isGreaterThanOrEqualTo(0.75);
        assertThat(r.best()).isGreaterThanOrEqualTo(last.balancedAccuracy());
        assertThat(r.classNames()).containsExactly("absent", "present");
        Path fold = tmp.resolve("model").resolve("fold_0");
        for (String f : List.of("checkpoint_final.pth", "checkpoint_best.pth", "checkpoint_latest.pth", "training_log.json",
                "progress.png", "validation_predictions.csv")) {
            assertThat(fold.resolve(f)).isRegularFile();
        }
        List<String> csv = Files.readAllLines(fold.resolve("validation_predictions.csv"));
        assertThat(csv.get(0)).isEqualTo("case,label,true_label,p_absent,p_present");
        long right = csv.stream().skip(1).filter(l -> l.split(",")[1].equals(l.split(",")[2])).count();
        assertThat(right).isEqualTo(Math.round(last.accuracy() * 24));
    }
}
