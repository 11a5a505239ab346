package io.nnft.trainer.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nnft.network.PlainConvUNetConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The network a job trains, as far as the engine self-check cares: the configuration's PlainConvUNet (its
 * {@code arch_kwargs}, input channels from {@code normalization_schemes}, segmentation heads from dataset.json's
 * labels, deep supervision on as in training) and the batch size. Two jobs with the same shape run the same convs
 * with the same shapes, so one self-check answers for both: {@link #key()} is a hash of exactly these.
 *
 * @param key         12 hex digits of SHA-256 over the network's settings and the batch
 * @param description what a reader of health and logs recognizes, e.g. {@code 3d, features [4, 8, 16], 1 ch, 2 heads, batch 2}
 * @param plans       the job's nnUNetPlans.json (local)
 * @param datasetJson the job's dataset.json (local)
 */
public record PlanShape(String key, String description, Path plans, String configuration, Path datasetJson,
                        PlainConvUNetConfig network, int batch) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Reads the shape; {@code batch} null means the configuration's {@code batch_size}. */
    public static PlanShape of(Path plans, String configuration, Path datasetJson, Integer batch) throws IOException {
        JsonNode dataset = MAPPER.readTree(datasetJson.toFile());
        int heads = PlainConvUNetConfig.segmentationHeadsFromLabels(dataset.get("labels"), datasetJson + " labels");
        PlainConvUNetConfig net = PlainConvUNetConfig.fromPlans(plans, configuration, heads, true);
        int b = batch != null ? batch : batchSize(MAPPER.readTree(plans.toFile()), configuration, plans);
        String canonical = String.join("|", "PlainConvUNet", "in=" + net.inputChannels(), "stages=" + net.nStages(),
                "features=" + Arrays.toString(net.featuresPerStage()), "dims=" + net.spatialDims(),
                "kernels=" + Arrays.deepToString(net.kernelSizes()), "strides=" + Arrays.deepToString(net.strides()),
                "conv=" + Arrays.toString(net.nConvPerStage()), "convDecoder=" + Arrays.toString(net.nConvPerStageDecoder()),
                "bias=" + net.convBias(), "eps=" + net.normEps(), "affine=" + net.normAffine(),
                "slope=" + net.negativeSlope(), "heads=" + net.numSegmentationHeads(), "ds=" + net.deepSupervision(),
                "batch=" + b);
        String description = net.spatialDims() + "d, features " + Arrays.toString(net.featuresPerStage()) + ", "
                + net.inputChannels() + " ch, " + net.numSegmentationHeads() + " heads, batch " + b;
        return new PlanShape(hash(canonical), description, plans, configuration, datasetJson, net, b);
    }

    /** {@code configurations.<configuration>.batch_size}, following {@code inherits_from}. */
    static int batchSize(JsonNode plans, String configuration, Path where) {
        JsonNode all = plans.path("configurations");
        String name = configuration;
        for (int depth = 0; depth < 8 && name != null; depth++) {
            JsonNode conf = all.path(name);
            if (conf.path("batch_size").canConvertToInt()) {
                return conf.get("batch_size").asInt();
            }
            name = conf.hasNonNull("inherits_from") ? conf.get("inherits_from").asText() : null;
        }
        throw new IllegalArgumentException(where + ": configuration '" + configuration
                + "' has no batch_size (needed to self-check its convs at the batch it trains with)");
    }

    private static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
