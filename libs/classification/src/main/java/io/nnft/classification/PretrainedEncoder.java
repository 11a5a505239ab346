package io.nnft.classification;

import io.nnft.checkpoint.ModelFolder;
import io.nnft.checkpoint.NnUNetCheckpoint;
import io.nnft.imageio.NdArray;
import io.nnft.network.StateDict;
import io.nnft.training.PretrainedWeights;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loads the encoder of a pretrained checkpoint (nnU-Net's or nnft's segmentation model, or a classifier) into
 * the classifier's encoder: every {@code encoder.*} tensor, nnU-Net's aliases accepted; decoder and head tensors
 * are ignored. The encoder must match exactly — every missing or differently shaped tensor is listed.
 */
public final class PretrainedEncoder {
    private PretrainedEncoder() {
    }

    /** @return the checkpoint file and the number of tensors loaded */
    public static Map.Entry<Path, Integer> load(ClassifierNetwork net, Path pretrained) throws IOException {
        Path file = PretrainedWeights.resolve(pretrained);
        NnUNetCheckpoint c = PretrainedWeights.read(file);
        Map<String, NdArray> encoder = new LinkedHashMap<>();
        for (Map.Entry<String, NdArray> e : c.networkWeights().entrySet()) {
            String k = StateDict.canonicalKey(e.getKey());
            if (k.startsWith(ModelFolder.ENCODER_PREFIX)) {
                encoder.putIfAbsent(k.substring(ModelFolder.ENCODER_PREFIX.length()), e.getValue());
            }
        }
        if (encoder.isEmpty()) {
            throw new IllegalArgumentException("--pretrained " + file + ": expected encoder.* tensors, found none in "
                    + c.networkWeights().size() + " tensors");
        }
        try {
            StateDict.load(net.encoder(), encoder, "--pretrained " + file + " (encoder.*)");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + "\n  (the plans given with --plans must be the pretrained "
                    + "model's: the encoder is built from them)", e);
        }
        return Map.entry(file, encoder.size());
    }
}
