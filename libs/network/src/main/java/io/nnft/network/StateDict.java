package io.nnft.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.nnft.imageio.NdArray;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * nnU-Net state-dict keys for our block tree, built by walking {@link NnBlock#namedChildren()}.
 *
 * <p>Canonical keys are PyTorch's {@code named_parameters()} (each tensor once, 68 for the fixture).
 * nnU-Net's {@code state_dict()} additionally lists every conv/norm under {@code …all_modules.N…} and every
 * encoder tensor under {@code decoder.encoder.*} (188 keys): {@link #exportNnUNet} writes those aliases in
 * PyTorch's order so {@code load_state_dict(strict=True)} accepts ours; {@link #load} accepts either form.
 */
public final class StateDict {
    private StateDict() {
    }

    /** Canonical key → parameter, in PyTorch's named_parameters() order. */
    public static LinkedHashMap<String, NamedParameter> parameters(Block root) {
        LinkedHashMap<String, NamedParameter> out = new LinkedHashMap<>();
        walk(root, "", false, p -> out.put(p.key(), p));
        return out;
    }

    /** Every state-dict key nnU-Net writes, aliases included, in PyTorch's state_dict() order. */
    public static List<NamedParameter> nnUNetKeys(Block root) {
        List<NamedParameter> out = new ArrayList<>();
        walk(root, "", true, out::add);
        return out;
    }

    private static void walk(Block block, String prefix, boolean aliases, Consumer<NamedParameter> sink) {
        for (Parameter p : block.getDirectParameters().values()) {
            sink.accept(new NamedParameter(prefix + p.getName(), p, block));
        }
        if (!(block instanceof NnBlock nn)) {
            if (!block.getChildren().isEmpty()) {
                throw new IllegalStateException("block " + block.getClass().getName() + " at '" + prefix
                        + "' has children but no nnU-Net names");
            }
            return;
        }
        for (Map.Entry<String, Block> child : nn.namedChildren().entrySet()) {
            if (aliases && block instanceof PlainConvUNet net && child.getKey().equals("decoder")) {
                // UNetDecoder.__init__ stores the encoder first, so its aliases precede the decoder's own tensors.
                walk(net.encoder(), prefix + "decoder.encoder.", true, sink);
            }
            walk(child.getValue(), prefix + child.getKey() + ".", aliases, sink);
        }
        if (aliases && block instanceof ConvDropoutNormReLU c) {
            // all_modules = Sequential(conv, norm, nonlin) without dropout: conv is 0, norm is 1.
            walk(c.conv(), prefix + "all_modules.0.", false, sink);
            walk(c.norm(), prefix + "all_modules.1.", false, sink);
        }
    }

    /** Maps nnU-Net's alias keys to the canonical key; canonical keys map to themselves. */
    public static String canonicalKey(String key) {
        String k = key.startsWith("decoder.encoder.") ? key.substring("decoder.".length()) : key;
        return k.replace(".all_modules.0.", ".conv.").replace(".all_modules.1.", ".norm.");
    }

    /**
     * Copies weights into the network. Accepts canonical keys and nnU-Net's aliases (duplicates must be
     * identical). Fails listing every missing key, unexpected key and shape mismatch (expected vs found).
     *
     * @param where names the source in error messages (file path)
     */
    public static void load(Block root, Map<String, NdArray> weights, String where) {
        LinkedHashMap<String, NamedParameter> params = parameters(root);
        Map<String, NdArray> byCanonical = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, NdArray> e : weights.entrySet()) {
            String canonical = canonicalKey(e.getKey());
            NdArray previous = byCanonical.putIfAbsent(canonical, e.getValue());
            if (previous != null && !sameContent(previous, e.getValue())) {
                problems.add("alias " + e.getKey() + " differs from " + canonical);
            }
        }
        for (Map.Entry<String, NamedParameter> p : params.entrySet()) {
            NdArray w = byCanonical.get(p.getKey());
            Shape expected = p.getValue().parameter().getShape();
            if (w == null) {
                problems.add("missing " + p.getKey() + " (expected shape " + expected + ")");
            } else if (!Arrays.equals(w.shape(), expected.getShape())) {
                problems.add(p.getKey() + ": expected shape " + expected + ", found " + Arrays.toString(w.shape()));
            } else if (!w.dtype().isFloatingPoint()) {
                problems.add(p.getKey() + ": expected a floating-point tensor, found " + w.dtype());
            }
        }
        for (String k : byCanonical.keySet()) {
            if (!params.containsKey(k)) {
                problems.add("unexpected " + k + " (shape " + Arrays.toString(byCanonical.get(k).shape()) + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(where + ": weights do not fit the network (" + problems.size()
                    + " problems):\n  " + String.join("\n  ", problems));
        }
        for (Map.Entry<String, NamedParameter> p : params.entrySet()) {
            NDArray array = p.getValue().parameter().getArray();
            if (array.getDataType() != DataType.FLOAT32) {
                throw new IllegalStateException(p.getKey() + ": network parameters must be float32, found "
                        + array.getDataType());
            }
            array.set(FloatBuffer.wrap(byCanonical.get(p.getKey()).toFloats()));
        }
    }

    /** The 68-style canonical export: key → float32 copy. */
    public static LinkedHashMap<String, NdArray> exportCanonical(Block root) {
        LinkedHashMap<String, NdArray> out = new LinkedHashMap<>();
        for (NamedParameter p : parameters(root).values()) {
            out.put(p.key(), toNdArray(p.parameter().getArray()));
        }
        return out;
    }

    /** nnU-Net's full state dict (aliases included, PyTorch order); aliased entries share one copy. */
    public static LinkedHashMap<String, NdArray> exportNnUNet(Block root) {
        Map<Parameter, NdArray> copies = new LinkedHashMap<>();
        LinkedHashMap<String, NdArray> out = new LinkedHashMap<>();
        for (NamedParameter p : nnUNetKeys(root)) {
            out.put(p.key(), copies.computeIfAbsent(p.parameter(), q -> toNdArray(q.getArray())));
        }
        return out;
    }

    static NdArray toNdArray(NDArray a) {
        return NdArray.ofFloats(a.getShape().getShape(), a.toFloatArray());
    }

    private static boolean sameContent(NdArray a, NdArray b) {
        return a.dtype() == b.dtype() && Arrays.equals(a.shape(), b.shape()) && a.data().equals(b.data());
    }
}
