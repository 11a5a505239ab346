package io.nnft.export;

import io.nnft.checkpoint.ModelFolder;
import io.nnft.checkpoint.NnUNetCheckpoint;
import io.nnft.imageio.NdArray;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The encoder's tensors of an nnU-Net checkpoint under nnU-Net's names ({@code encoder.stages.s.0.convs.c.conv.weight}
 * ...), one entry per distinct tensor in state_dict order. nnU-Net's state_dict also lists every encoder tensor under
 * {@code decoder.encoder.*} and every conv/norm under {@code ...all_modules.N...}; those aliases are left out (the
 * checkpoint library checks they hold the same bytes), so each tensor is stored once and the names are those of
 * {@code named_parameters()}.
 */
public final class EncoderWeights {
    private static final Pattern STAGE = Pattern.compile("^encoder\\.stages\\.(\\d+)\\.");

    private EncoderWeights() {
    }

    /** The encoder tensors of {@code checkpoint}; {@code where} names it in errors. */
    public static LinkedHashMap<String, NdArray> of(NnUNetCheckpoint checkpoint, String where) {
        LinkedHashMap<String, NdArray> canonical;
        try {
            canonical = checkpoint.canonicalWeights();
        } catch (IllegalArgumentException e) {
            throw new ExportException(where + ": network_weights are inconsistent: " + e.getMessage(), e);
        }
        LinkedHashMap<String, NdArray> out = new LinkedHashMap<>();
        canonical.forEach((k, v) -> {
            if (k.startsWith(ModelFolder.ENCODER_PREFIX)) {
                out.put(k, v);
            }
        });
        if (out.isEmpty()) {
            throw new ExportException(where + ": expected network_weights with '" + ModelFolder.ENCODER_PREFIX + "*' keys (a PlainConvUNet), "
                    + "found none among " + canonical.size() + " keys, e.g. " + canonical.keySet().stream().limit(3).toList());
        }
        return out;
    }

    /** Stage indices present in the keys ({@code encoder.stages.<s>.}), sorted. */
    public static TreeSet<Integer> stages(Map<String, NdArray> encoder) {
        TreeSet<Integer> stages = new TreeSet<>();
        for (String k : encoder.keySet()) {
            Matcher m = STAGE.matcher(k);
            if (m.find()) {
                stages.add(Integer.parseInt(m.group(1)));
            }
        }
        return stages;
    }

    /** Number of scalar parameters. */
    public static long parameterCount(Map<String, NdArray> tensors) {
        return tensors.values().stream().mapToLong(NdArray::size).sum();
    }

    /**
     * The output channels of stage {@code s}: the first dimension of its last conv weight
     * ({@code encoder.stages.s.0.convs.<last>.conv.weight}).
     */
    public static long outputChannels(Map<String, NdArray> encoder, int stage) {
        String prefix = ModelFolder.ENCODER_PREFIX + "stages." + stage + ".0.convs.";
        NdArray last = null;
        int lastIndex = -1;
        for (Map.Entry<String, NdArray> e : encoder.entrySet()) {
            if (e.getKey().startsWith(prefix) && e.getKey().endsWith(".conv.weight")) {
                int c = Integer.parseInt(e.getKey().substring(prefix.length(), e.getKey().indexOf('.', prefix.length())));
                if (c > lastIndex) {
                    lastIndex = c;
                    last = e.getValue();
                }
            }
        }
        if (last == null) {
            throw new ExportException("encoder weights: expected conv weights under '" + prefix + "', found none");
        }
        return last.shape()[0];
    }

    /** Input channels: the second dimension of the first conv weight. */
    public static long inputChannels(Map<String, NdArray> encoder) {
        String key = ModelFolder.ENCODER_PREFIX + "stages.0.0.convs.0.conv.weight";
        NdArray w = encoder.get(key);
        if (w == null || w.shape().length < 3) {
            throw new ExportException("encoder weights: expected '" + key + "' of shape [out, in, k...], found "
                    + (w == null ? "no such key" : Arrays.toString(w.shape())));
        }
        return w.shape()[1];
    }
}
