package io.nnft.training.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nnft.imageio.NdArray;
import io.nnft.imageio.Nifti;
import io.nnft.imageio.NiftiImage;
import io.nnft.imageio.Npy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes synthetic cases as an nnU-Net raw dataset (imagesTr/<case>_0000.nii.gz, labelsTr/<case>.nii.gz,
 * dataset.json) or, for tests that skip preprocessing, directly in the preprocessed layout (z-scored
 * {@code <case>.npy}, {@code <case>_seg.npy}, {@code <case>.json} with class_locations, dataset.json and an
 * nnUNetPlans.json with a 3d_fullres configuration of the requested patch and widths).
 */
public final class SyntheticDatasetWriter {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** nnU-Net samples at most this many locations per class (DefaultPreprocessor.num_samples... capped). */
    private static final int MAX_LOCATIONS = 10000;

    private SyntheticDatasetWriter() {
    }

    public static List<SyntheticCase> cases(SyntheticGenerator g, int n) {
        List<SyntheticCase> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(g.generate(i));
        }
        return out;
    }

    public static void writeRaw(Path dir, SyntheticTask task, List<SyntheticCase> cases) throws IOException {
        Files.createDirectories(dir.resolve("imagesTr"));
        Files.createDirectories(dir.resolve("labelsTr"));
        double[] spacing = {1, 1, 1};
        for (SyntheticCase c : cases) {
            long[] shape = {c.shape()[0], c.shape()[1], c.shape()[2]};
            Nifti.write(dir.resolve("imagesTr").resolve(c.id() + "_0000.nii.gz"),
                    NiftiImage.of(NdArray.ofFloats(shape, c.image()), spacing));
            Nifti.write(dir.resolve("labelsTr").resolve(c.id() + ".nii.gz"),
                    NiftiImage.of(NdArray.ofShorts(shape, c.labels()), spacing));
        }
        Files.writeString(dir.resolve("dataset.json"), datasetJson(task, cases.size()).toPrettyString());
    }

    public static ObjectNode datasetJson(SyntheticTask task, int n) {
        ObjectNode d = MAPPER.createObjectNode();
        d.putObject("channel_names").put("0", "synthetic");
        ObjectNode labels = d.putObject("labels");
        labels.put("background", 0);
        labels.put(task.label1(), 1);
        labels.put(task.label2(), 2);
        d.put("numTraining", n);
        d.put("file_ending", ".nii.gz");
        d.put("name", "Synthetic" + task.name());
        return d;
    }

    /** A copy z-scored over the whole volume (nnU-Net's ZScoreNormalization without a mask). */
    public static float[] zScored(float[] image) {
        float[] img = image.clone();
        double sum = 0;
        for (float f : img) {
            sum += f;
        }
        double mean = sum / img.length;
        double sq = 0;
        for (float f : img) {
            sq += (f - mean) * (f - mean);
        }
        double std = Math.max(Math.sqrt(sq / img.length), 1e-8);
        for (int i = 0; i < img.length; i++) {
            img[i] = (float) ((img[i] - mean) / std);
        }
        return img;
    }

    /** Preprocessed layout: each image z-scored over the whole volume (nnU-Net's ZScoreNormalization). */
    public static void writePreprocessed(Path dir, SyntheticTask task, List<SyntheticCase> cases, int[] patch,
                                         int[] features, int batchSize) throws IOException {
        Files.createDirectories(dir);
        for (SyntheticCase c : cases) {
            float[] img = zScored(c.image());
            int[] s = c.shape();
            Npy.write(dir.resolve(c.id() + ".npy"), NdArray.ofFloats(new long[] {1, s[0], s[1], s[2]}, img));
            byte[] seg = new byte[c.labels().length];
            for (int i = 0; i < seg.length; i++) {
                seg[i] = (byte) c.labels()[i];
            }
            Npy.write(dir.resolve(c.id() + "_seg.npy"), NdArray.ofBytes(new long[] {1, s[0], s[1], s[2]}, seg));
            Files.writeString(dir.resolve(c.id() + ".json"), properties(c).toString());
        }
        Files.writeString(dir.resolve("dataset.json"), datasetJson(task, cases.size()).toPrettyString());
        Files.writeString(dir.resolve("nnUNetPlans.json"), plans(task, patch, features, batchSize).toPrettyString());
    }

    private static ObjectNode properties(SyntheticCase c) {
        ObjectNode p = MAPPER.createObjectNode();
        ArrayNode sp = p.putArray("spacing");
        sp.add(1.0).add(1.0).add(1.0);
        // nnU-Net's geometry keys (nothing cropped, nothing resampled): what prediction export needs
        int[] shape = c.shape();
        ArrayNode before = p.putArray("shape_before_cropping");
        ArrayNode bbox = p.putArray("bbox_used_for_cropping");
        ArrayNode after = p.putArray("shape_after_cropping_and_before_resampling");
        for (int a = 0; a < 3; a++) {
            before.add(shape[a]);
            bbox.addArray().add(0).add(shape[a]);
            after.add(shape[a]);
        }
        ObjectNode cl = p.putObject("class_locations");
        SplittableRandom r = new SplittableRandom(c.id().hashCode());
        int[] s = c.shape();
        for (short label = 1; label <= 2; label++) {
            List<Integer> where = new ArrayList<>();
            for (int i = 0; i < c.labels().length; i++) {
                if (c.labels()[i] == label) {
                    where.add(i);
                }
            }
            // Like nnU-Net: at most MAX_LOCATIONS, drawn without replacement.
            for (int i = where.size() - 1; i > 0 && where.size() > MAX_LOCATIONS; i--) {
                java.util.Collections.swap(where, i, r.nextInt(i + 1));
            }
            ArrayNode a = cl.putArray(Integer.toString(label));
            for (int k = 0; k < Math.min(MAX_LOCATIONS, where.size()); k++) {
                int i = where.get(k);
                a.addArray().add(0).add(i / (s[1] * s[2])).add((i / s[2]) % s[1]).add(i % s[2]);
            }
        }
        return p;
    }

    /** An nnUNetPlans.json with one 3d_fullres PlainConvUNet configuration (stride 2 per stage after the first). */
    public static ObjectNode plans(SyntheticTask task, int[] patch, int[] features, int batchSize) {
        ObjectNode p = MAPPER.createObjectNode();
        p.put("dataset_name", "Synthetic" + task.name());
        p.put("plans_name", "nnUNetPlans");
        p.putArray("original_median_spacing_after_transp").add(1.0).add(1.0).add(1.0);
        p.putArray("original_median_shape_after_transp").add(patch[0]).add(patch[1]).add(patch[2]);
        p.put("image_reader_writer", "SimpleITKIO");
        p.putArray("transpose_forward").add(0).add(1).add(2);
        p.putArray("transpose_backward").add(0).add(1).add(2);
        ObjectNode conf = p.putObject("configurations").putObject("3d_fullres");
        conf.put("data_identifier", "nnUNetPlans_3d_fullres");
        conf.put("preprocessor_name", "DefaultPreprocessor");
        conf.put("batch_size", batchSize);
        ArrayNode ps = conf.putArray("patch_size");
        for (int x : patch) {
            ps.add(x);
        }
        conf.putArray("median_image_size_in_voxels").add((double) patch[0]).add((double) patch[1]).add((double) patch[2]);
        conf.putArray("spacing").add(1.0).add(1.0).add(1.0);
        conf.putArray("normalization_schemes").add("ZScoreNormalization");
        conf.putArray("use_mask_for_norm").add(false);
        conf.put("resampling_fn_data", "resample_data_or_seg_to_shape");
        conf.put("resampling_fn_seg", "resample_data_or_seg_to_shape");
        conf.putObject("resampling_fn_data_kwargs").put("is_seg", false).put("order", 3).put("order_z", 0)
                .putNull("force_separate_z");
        conf.putObject("resampling_fn_seg_kwargs").put("is_seg", true).put("order", 1).put("order_z", 0)
                .putNull("force_separate_z");
        conf.put("resampling_fn_probabilities", "resample_data_or_seg_to_shape");
        conf.putObject("resampling_fn_probabilities_kwargs").put("is_seg", false).put("order", 1).put("order_z", 0)
                .putNull("force_separate_z");
        ObjectNode arch = conf.putObject("architecture");
        arch.put("network_class_name", "dynamic_network_architectures.architectures.unet.PlainConvUNet");
        ObjectNode kw = arch.putObject("arch_kwargs");
        int n = features.length;
        kw.put("n_stages", n);
        ArrayNode f = kw.putArray("features_per_stage");
        for (int x : features) {
            f.add(x);
        }
        kw.put("conv_op", "torch.nn.modules.conv.Conv3d");
        ArrayNode ks = kw.putArray("kernel_sizes");
        ArrayNode st = kw.putArray("strides");
        ArrayNode nc = kw.putArray("n_conv_per_stage");
        ArrayNode ncd = kw.putArray("n_conv_per_stage_decoder");
        for (int s = 0; s < n; s++) {
            ks.addArray().add(3).add(3).add(3);
            int stride = s == 0 ? 1 : 2;
            st.addArray().add(stride).add(stride).add(stride);
            nc.add(2);
            if (s < n - 1) {
                ncd.add(2);
            }
        }
        kw.put("conv_bias", true);
        kw.put("norm_op", "torch.nn.modules.instancenorm.InstanceNorm3d");
        kw.putObject("norm_op_kwargs").put("eps", 1e-5).put("affine", true);
        kw.putNull("dropout_op");
        kw.putNull("dropout_op_kwargs");
        kw.put("nonlin", "torch.nn.LeakyReLU");
        kw.putObject("nonlin_kwargs").put("inplace", true);
        arch.putArray("_kw_requires_import").add("conv_op").add("norm_op").add("dropout_op").add("nonlin");
        conf.put("batch_dice", false);
        p.put("experiment_planner_used", "ExperimentPlanner");
        p.put("label_manager", "LabelManager");
        ObjectNode fip = p.putObject("foreground_intensity_properties_per_channel").putObject("0");
        fip.put("max", 4.0).put("mean", 1.75).put("median", 1.75).put("min", -2.0).put("percentile_00_5", -1.0)
                .put("percentile_99_5", 3.5).put("std", 0.5);
        return p;
    }
}
