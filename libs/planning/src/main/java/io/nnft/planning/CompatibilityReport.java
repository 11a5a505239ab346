package io.nnft.planning;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What fine-tuning a pretrained model on a downstream dataset will meet, decided before any training.
 * {@code mismatches} make the pair incompatible (the network or its weights cannot be used as planned);
 * {@code warnings} are differences training will cope with but a user should know about.
 *
 * @param pretrainedDataset  dataset_name of the pretrained plans
 * @param downstreamDataset  the downstream dataset name
 * @param configuration      the configuration checked (e.g. 3d_fullres)
 * @param compatible         no mismatches
 * @param mismatches         every incompatibility, each with key, pretrained and downstream value
 * @param warnings           spacing, intensity, label and naming differences
 * @param channels           per input channel: normalization and intensity statistics side by side
 * @param labels             label counts and whether the segmentation heads are re-initialised
 * @param spacing            pretrained configuration spacing against the downstream target spacing
 * @param patch              patch size against the pooling strides
 */
public record CompatibilityReport(String pretrainedDataset, String downstreamDataset, String configuration,
                                  boolean compatible, List<Finding> mismatches, List<Finding> warnings,
                                  List<Channel> channels, Labels labels, Spacing spacing, Patch patch) {

    /**
     * @param index                    channel index
     * @param pretrainedName           channel name in the pretrained dataset.json, null when unknown
     * @param downstreamName           channel name in the downstream dataset.json, null when absent
     * @param normalization            normalization the transferred plans apply (pretrained)
     * @param downstreamNormalization  what the downstream channel name alone would select
     * @param useMaskForNorm           the transferred plans' use_mask_for_norm
     * @param keptIntensity            pretrained foreground statistics, kept in the plans
     * @param downstreamIntensity      the downstream fingerprint's statistics, for comparison
     */
    public record Channel(int index, String pretrainedName, String downstreamName, String normalization,
                          String downstreamNormalization, Boolean useMaskForNorm,
                          IntensityProperties keptIntensity, IntensityProperties downstreamIntensity) {
    }

    /**
     * @param pretrained                     number of labels incl. background, null when the pretrained dataset.json is unknown
     * @param downstream                     number of labels incl. background downstream
     * @param segmentationHeadsReinitialised the seg layers' output count changes, so they start from scratch
     */
    public record Labels(Integer pretrained, int downstream, boolean segmentationHeadsReinitialised) {
    }

    /**
     * @param pretrained           spacing of the pretrained configuration (kept)
     * @param downstreamTarget     the downstream target spacing, in the pretrained transpose order
     * @param maxRelativeDifference largest |downstream - pretrained| / pretrained over the axes
     */
    public record Spacing(double[] pretrained, double[] downstreamTarget, double maxRelativeDifference) {
    }

    /**
     * @param patchSize          the pretrained configuration's patch size (kept)
     * @param mustBeDivisibleBy  product of the strides per axis
     * @param valid              every axis divisible
     * @param downstreamMedianShape downstream median shape after resampling to the kept spacing
     */
    public record Patch(int[] patchSize, int[] mustBeDivisibleBy, boolean valid, double[] downstreamMedianShape) {
    }

    public String toJsonString() {
        try {
            return Json.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise compatibility report", e);
        }
    }

    public void write(Path file) {
        try {
            Files.writeString(file, toJsonString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write compatibility report to " + file, e);
        }
    }

    public static CompatibilityReport read(Path file) {
        try {
            return Json.MAPPER.readValue(file.toFile(), CompatibilityReport.class);
        } catch (IOException e) {
            throw new PlansException("cannot read compatibility report " + file + ": " + e.getMessage(), e);
        }
    }
}
