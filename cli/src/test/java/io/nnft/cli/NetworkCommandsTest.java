package io.nnft.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** bench train-step / forward / inspect: a tiny plan runs, bad input exits 2 with the path in the message. */
class NetworkCommandsTest {
    private static final String TINY_PLANS = """
            {"configurations": {"3d_fullres": {"batch_size": 1, "patch_size": [8, 8, 8],
              "normalization_schemes": ["ZScoreNormalization"],
              "architecture": {"network_class_name": "dynamic_network_architectures.architectures.unet.PlainConvUNet",
                "arch_kwargs": {"n_stages": 2, "features_per_stage": [2, 4],
                  "conv_op": "torch.nn.modules.conv.Conv3d", "kernel_sizes": [[3, 3, 3], [3, 3, 3]],
                  "strides": [[1, 1, 1], [2, 2, 2]], "n_conv_per_stage": [1, 1], "n_conv_per_stage_decoder": [1],
                  "conv_bias": true, "norm_op": "torch.nn.modules.instancenorm.InstanceNorm3d",
                  "norm_op_kwargs": {"eps": 1e-05, "affine": true}, "dropout_op": null, "dropout_op_kwargs": null,
                  "nonlin": "torch.nn.LeakyReLU", "nonlin_kwargs": {"inplace": true}}}}}}
            """;


    @Test
    void benchTrainStepReportsAMedian(@TempDir Path dir) throws Exception {
        Path plans = dir.resolve("nnUNetPlans.json");
        Files.writeString(plans, TINY_PLANS);
        CliRun r = CliRun.run("bench", "train-step", "--plans", plans.toString(), "--configuration", "3d_fullres",
                "--num-heads", "2", "--warmup", "1", "--iterations", "2", "--freeze", "encoder");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("freeze encoder (8 tensors)").containsPattern("median [0-9.]+ ms/iteration");
    }

    @Test
    void badInputExitsWithCode2(@TempDir Path dir) throws Exception {
        Path plans = dir.resolve("nnUNetPlans.json");
        Files.writeString(plans, TINY_PLANS);
        CliRun noDataset = CliRun.run("bench", "train-step", "--plans", plans.toString(), "--configuration", "3d_fullres");
        assertThat(noDataset.exit()).isEqualTo(2);
        assertThat(noDataset.err()).contains("no dataset.json beside").contains("--num-heads");
        CliRun badConf = CliRun.run("bench", "train-step", "--plans", plans.toString(), "--configuration", "2d", "--num-heads", "2");
        assertThat(badConf.exit()).isEqualTo(2);
        assertThat(badConf.err()).contains("no configuration '2d', found [3d_fullres]");
        CliRun badFreeze = CliRun.run("bench", "train-step", "--plans", plans.toString(), "--configuration", "3d_fullres",
                "--num-heads", "2", "--freeze", "prefixes:nope");
        assertThat(badFreeze.exit()).isEqualTo(2);
        assertThat(badFreeze.err()).contains("'nope' matches no parameter");
        CliRun notACheckpoint = CliRun.run("inspect", "--checkpoint", plans.toString());
        assertThat(notACheckpoint.exit()).isEqualTo(2);
        assertThat(notACheckpoint.err()).contains(plans.toString()).contains("not a readable nnU-Net checkpoint");
        CliRun missing = CliRun.run("forward", "--checkpoint", dir.resolve("none.pth").toString(), "--input", "x.npy",
                "--output", "y.npy");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("found no file at");
    }
}
