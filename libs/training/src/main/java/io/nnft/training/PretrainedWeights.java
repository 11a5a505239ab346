package io.nnft.training;

import io.nnft.checkpoint.NnUNetCheckpoint;
import io.nnft.imageio.NdArray;
import io.nnft.network.NamedParameter;
import io.nnft.network.PlainConvUNet;
import io.nnft.network.StateDict;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Starts a network from an nnU-Net checkpoint (ours or nnU-Net's; a .pth or a model folder). Segmentation
 * heads ({@code decoder.seg_layers.*}) keep their fresh initialisation when the label count differs; any other
 * missing, unexpected or differently shaped tensor is refused with the full per-key list.
 */
public final class PretrainedWeights {
    public static final String SEG_HEAD_PREFIX = "decoder.seg_layers.";

    private PretrainedWeights() {
    }

    /** What was loaded. */
    public record Report(Path checkpoint, int loaded, List<String> reinitialised) {
    }

    /** A .pth, or a model folder: its fold_*&#47;checkpoint_final.pth (else checkpoint_best.pth), first fold first. */
    public static Path resolve(Path pretrained) throws IOException {
        if (Files.isRegularFile(pretrained)) {
            return pretrained;
        }
        if (!Files.isDirectory(pretrained)) {
            throw new IllegalArgumentException("--pretrained: expected a checkpoint .pth or an nnU-Net model folder, found "
                    + "nothing at " + pretrained);
        }
        List<Path> dirs = new ArrayList<>();
        dirs.add(pretrained);
        try (Stream<Path> s = Files.list(pretrained)) {
            s.filter(p -> p.getFileName().toString().startsWith("fold_") && Files.isDirectory(p)).sorted().forEach(dirs::add);
        }
        for (String name : List.of("checkpoint_final.pth", "checkpoint_best.pth")) {
            for (Path d : dirs) {
                if (Files.isRegularFile(d.resolve(name))) {
                    return d.resolve(name);
                }
            }
        }
        throw new IllegalArgumentException("--pretrained " + pretrained + ": model folder has no fold_*/checkpoint_final.pth "
                + "or checkpoint_best.pth");
    }

    public static Report load(PlainConvUNet net, Path pretrained) throws IOException {
        Path file = resolve(pretrained);
        NnUNetCheckpoint c = read(file);
        LinkedHashMap<String, NdArray> weights = c.canonicalWeights();
        return apply(net, weights, file);
    }

    /** The checkpoint a {@code --pretrained} resolved to; a file that is not one is named in the error. */
    public static NnUNetCheckpoint read(Path file) {
        try {
            return NnUNetCheckpoint.read(file);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("--pretrained " + file + ": not a readable nnU-Net checkpoint: "
                    + e.getMessage(), e);
        }
    }

    static Report apply(PlainConvUNet net, Map<String, NdArray> weights, Path file) {
        LinkedHashMap<String, NdArray> merged = new LinkedHashMap<>();
        List<String> reinit = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        LinkedHashMap<String, NamedParameter> params = StateDict.parameters(net);
        for (NamedParameter p : params.values()) {
            long[] expected = p.parameter().getShape().getShape();
            NdArray w = weights.get(p.key());
            if (w == null) {
                problems.add("missing " + p.key() + " (network expects " + Arrays.toString(expected) + ")");
            } else if (Arrays.equals(w.shape(), expected)) {
                merged.put(p.key(), w);
            } else if (p.key().startsWith(SEG_HEAD_PREFIX) && w.shape().length == expected.length
                    && Arrays.equals(Arrays.copyOfRange(w.shape(), 1, w.shape().length),
                    Arrays.copyOfRange(expected, 1, expected.length))) {
                // Another label count: the head is new for this task, keep its fresh nnU-Net initialisation.
                merged.put(p.key(), StateDict.exportCanonical(net).get(p.key()));
                reinit.add(p.key() + " " + Arrays.toString(w.shape()) + " -> " + Arrays.toString(expected));
            } else {
                problems.add(p.key() + ": network expects " + Arrays.toString(expected) + ", checkpoint has "
                        + Arrays.toString(w.shape()));
            }
        }
        for (String k : weights.keySet()) {
            if (!params.containsKey(k)) {
                problems.add("unexpected " + k + " " + Arrays.toString(weights.get(k).shape()) + " (not in this network)");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("--pretrained " + file + ": the checkpoint does not fit the planned network ("
                    + problems.size() + " tensors; only segmentation heads may differ, in their label count):\n  "
                    + String.join("\n  ", problems));
        }
        StateDict.load(net, merged, file.toString());
        return new Report(file, merged.size() - reinit.size(), reinit);
    }
}
