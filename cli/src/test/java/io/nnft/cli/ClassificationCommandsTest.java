package io.nnft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nnft.classification.SyntheticClassificationSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * raw synthetic classification set → preprocess with the pretrained model's plans → train --task classification
 * (one tiny epoch on the demo's pretrained encoder) → classify the raw images; bad input exits 2, a diverging
 * training exits 1 with its reason.
 */
class ClassificationCommandsTest {
    private static final Path DEMO = Path.of("../demo/pretrained/Dataset101_SynthA");

    @Test
    void trainThenClassifyEndToEnd(@TempDir Path dir) throws Exception {
        Path raw = dir.resolve("Dataset201_Cls");
        SyntheticClassificationSet.writeRaw(raw, 6, 32, 11);
        String plans = DEMO.resolve("plans.json").toString();
        Path pre = dir.resolve("pre");
        CliRun p = CliRun.run("preprocess", "--raw", raw.toString(), "--plans", plans, "--configuration", "3d_fullres",
                "--output", pre.toString(), "--threads", "1");
        assertThat(p.exit()).as(p.err()).isZero();

        Path model = dir.resolve("model");
        String[] train = {"train", "--task", "classification", "--preprocessed", pre.toString(), "--plans", plans,
            "--configuration", "3d_fullres", "--fold", "all", "--labels", raw.resolve("classification.csv").toString(),
            "--dataset-json", raw.resolve("dataset.json").toString(), "--output", model.toString(), "--pretrained",
            DEMO.toString(), "--epochs", "1", "--iterations-per-epoch", "2", "--batch-size", "2", "--seed", "1",
            "--freeze", "encoder", "--pooling", "max", "--skips", "1", "--data-threads", "1"};
        CliRun t = CliRun.run(train);
        assertThat(t.exit()).as(t.err() + t.out()).isZero();
        assertThat(t.out()).contains("pretrained encoder: 32 tensors").contains("completed after 1 epochs")
                .contains("balanced accuracy").contains("classes: [absent, present]");
        for (String f : List.of("plans.json", "dataset.json", "classification.json", "fold_all/checkpoint_final.pth",
                "fold_all/training_log.json", "fold_all/progress.png")) {
            assertThat(model.resolve(f)).isRegularFile();
        }

        Path csv = dir.resolve("predictions.csv");
        CliRun c = CliRun.run("classify", "--model", model.toString(), "--input", raw.resolve("imagesTr").toString(),
                "--output", csv.toString());
        assertThat(c.exit()).as(c.err()).isZero();
        List<String> rows = Files.readAllLines(csv);
        assertThat(rows.get(0)).isEqualTo("case,label,p_absent,p_present");
        assertThat(rows).hasSize(7);
        for (String r : rows.subList(1, rows.size())) {
            String[] f = r.split(",");
            assertThat(f[0]).startsWith("cls_");
            assertThat(f[1]).isIn("absent", "present");
            assertThat(Double.parseDouble(f[2]) + Double.parseDouble(f[3])).isCloseTo(1.0,
                    org.assertj.core.api.Assertions.within(1e-5));
        }

        // the exported classifier (what the exporter service uploads) classifies exactly as the trained model
        Path export = dir.resolve("export");
        CliRun x = CliRun.run("export-encoder", "--checkpoint", model.resolve("fold_all/checkpoint_final.pth").toString(),
                "--output", export.toString());
        assertThat(x.exit()).as(x.err()).isZero();
        assertThat(x.out()).contains("classifier.safetensors").contains("classifier_model/classification.json");
        Path csvFromExport = dir.resolve("predictions_export.csv");
        CliRun c2 = CliRun.run("classify", "--model", export.resolve("classifier_model").toString(), "--input",
                raw.resolve("imagesTr").toString(), "--output", csvFromExport.toString());
        assertThat(c2.exit()).as(c2.err()).isZero();
        assertThat(Files.readAllLines(csvFromExport)).isEqualTo(rows);

        // labelsTr is optional for classification
        Path unlabelled = dir.resolve("Dataset202_NoLabels");
        Files.createDirectories(unlabelled.resolve("imagesTr"));
        try (var files = Files.list(raw.resolve("imagesTr"))) {
            for (Path f : files.toList()) {
                Files.copy(f, unlabelled.resolve("imagesTr").resolve(f.getFileName()));
            }
        }
        Files.copy(raw.resolve("dataset.json"), unlabelled.resolve("dataset.json"));
        Path pre2 = dir.resolve("pre2");
        CliRun p2 = CliRun.run("preprocess", "--raw", unlabelled.toString(), "--plans", plans, "--configuration",
                "3d_fullres", "--output", pre2.toString(), "--threads", "1");
        assertThat(p2.exit()).as(p2.err()).isZero();
        String[] train2 = train.clone();
        train2[4] = pre2.toString();
        train2[16] = dir.resolve("model2").toString();
        CliRun t2 = CliRun.run(train2);
        assertThat(t2.exit()).as(t2.err()).isZero();
        assertThat(dir.resolve("model2/fold_all/checkpoint_final.pth")).isRegularFile();

        // LR 1e38 makes the head infinite after one step: the run diverges, exits 1 with the reason, no final checkpoint
        String[] diverging = java.util.stream.Stream.concat(java.util.Arrays.stream(train),
                java.util.stream.Stream.of("--lr", "1e38", "--max-skipped-steps", "2")).toArray(String[]::new);
        diverging[16] = dir.resolve("model-diverged").toString();
        CliRun d = CliRun.run(diverging);
        System.out.print("nnft train --task classification with --lr 1e38: exit " + d.exit() + ", " + d.err());
        assertThat(d.exit()).as(d.out() + d.err()).isEqualTo(1);
        assertThat(d.err()).matches("(?s)error: training diverged at epoch \\d+, iteration \\d+: .*(NaN|Infinity)\\R");
        assertThat(d.out()).doesNotContain("completed after");
        assertThat(dir.resolve("model-diverged/fold_all/checkpoint_final.pth")).doesNotExist();

        Files.writeString(dir.resolve("bad.csv"), "case,label\ncls_000,absent\ncls_zzz,present\n");
        String[] badLabels = train.clone();
        badLabels[12] = dir.resolve("bad.csv").toString();
        CliRun bad = CliRun.run(badLabels);
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("bad.csv line 3").contains("unknown case 'cls_zzz'");
        CliRun noLabels = CliRun.run("train", "--task", "classification", "--preprocessed", pre.toString(), "--plans",
                plans, "--configuration", "3d_fullres", "--fold", "all", "--output", model.toString());
        assertThat(noLabels.exit()).isEqualTo(2);
        assertThat(noLabels.err()).contains("expected --labels");
        CliRun segWithLabels = CliRun.run("train", "--preprocessed", pre.toString(), "--plans", plans, "--configuration",
                "3d_fullres", "--fold", "all", "--output", model.toString(), "--labels", "x.csv");
        assertThat(segWithLabels.exit()).isEqualTo(2);
        assertThat(segWithLabels.err()).contains("need --task classification");
        CliRun notAClassifier = CliRun.run("classify", "--model", DEMO.toString(), "--input", raw.resolve("imagesTr").toString(),
                "--output", csv.toString());
        assertThat(notAClassifier.exit()).isEqualTo(2);
        assertThat(notAClassifier.err()).contains("classification.json");
    }
}
