package io.nnft.checkpoint;

import io.nnft.checkpoint.pickle.PyOrderedDict;
import io.nnft.imageio.NdArray;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A plain {@code torch.save(model.state_dict())} file: an OrderedDict of tensors (with PyTorch's
 * module {@code _metadata} when the keys are PlainConvUNet's). Only GLOBALs on torch's own
 * {@code weights_only} allow-list are written, so {@code torch.load(f, weights_only=True)} accepts it.
 */
public final class StateDictFile {
    private StateDictFile() {
    }

    /** Reads a state_dict .pth (also accepts a full nnU-Net checkpoint and returns its network_weights). */
    public static LinkedHashMap<String, NdArray> read(Path file) throws IOException {
        Object root = TorchSerialization.load(file);
        try {
            if (root instanceof Map<?, ?> m && !(root instanceof PyOrderedDict) && m.containsKey("network_weights")) {
                return tensors(m.get("network_weights"), file + ": network_weights");
            }
            return tensors(root, file.toString());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Writes an OrderedDict of tensors atomically, keys in the map's order. */
    public static void write(Path file, Map<String, NdArray> stateDict) throws IOException {
        PyOrderedDict d = new PyOrderedDict(stateDict);
        try {
            LinkedHashMap<String, Integer> versions = StateDictKeys.moduleVersions(new ArrayList<>(stateDict.keySet()));
            PyOrderedDict meta = new PyOrderedDict();
            versions.forEach((module, version) -> meta.put(module, new LinkedHashMap<>(Map.of("version", version))));
            d.setMetadata(meta);
        } catch (IllegalArgumentException e) {
            // keys outside PlainConvUNet: no metadata (load_state_dict does not need it)
        }
        TorchSerialization.save(file, d);
    }

    static LinkedHashMap<String, NdArray> tensors(Object o, String where) {
        if (!(o instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException(where + ": expected an OrderedDict of tensors, found " + PyValues.typeName(o));
        }
        LinkedHashMap<String, NdArray> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String k) || !(e.getValue() instanceof NdArray t)) {
                throw new IllegalArgumentException(where + ": entry '" + e.getKey() + "' should map a str to a tensor, found "
                        + PyValues.typeName(e.getValue()));
            }
            out.put(k, t);
        }
        return out;
    }
}
