package io.nnft.training.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nnft.imageio.NdArray;
import io.nnft.imageio.Npy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A folder of preprocessed cases in nnU-Net's unpacked layout ({@code <case>.npy}, {@code <case>_seg.npy},
 * {@code <case>.json} with class_locations). Cases are read on first use and kept in memory (nnU-Net
 * memory-maps them; our datasets for fine-tuning are small, and the loader threads then never touch disk).
 */
public final class PreprocessedDataset {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final Path folder;
    private final List<String> ids;
    private final Map<String, PreprocessedCase> cache = new ConcurrentHashMap<>();
    private final boolean segmentationOptional;

    private PreprocessedDataset(Path folder, List<String> ids, boolean segmentationOptional) {
        this.folder = folder;
        this.ids = ids;
        this.segmentationOptional = segmentationOptional;
    }

    /** Finds every {@code <id>_seg.npy} with its {@code <id>.npy} and {@code <id>.json}. */
    public static PreprocessedDataset open(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("preprocessed folder: expected a directory, found nothing at " + folder);
        }
        List<String> ids = new ArrayList<>();
        try (Stream<Path> s = Files.list(folder)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("_seg.npy")).sorted()
                    .forEach(n -> ids.add(n.substring(0, n.length() - "_seg.npy".length())));
        }
        if (ids.isEmpty()) {
            throw new IllegalArgumentException(folder + ": expected preprocessed cases (<case>.npy, <case>_seg.npy, "
                    + "<case>.json), found no *_seg.npy");
        }
        for (String id : ids) {
            for (String f : List.of(id + ".npy", id + ".json")) {
                if (!Files.isRegularFile(folder.resolve(f))) {
                    throw new IllegalArgumentException(folder + ": case " + id + " has a _seg.npy but no " + f);
                }
            }
        }
        return new PreprocessedDataset(folder, Collections.unmodifiableList(ids), false);
    }

    /**
     * For tasks that need no label map (classification): every {@code <id>.npy} with its {@code <id>.json};
     * {@code <id>_seg.npy} is read when present, else the case gets an all-zero segmentation. Class locations are
     * not read (nothing is oversampled; a dataset without labelsTr has none).
     */
    public static PreprocessedDataset openImages(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("preprocessed folder: expected a directory, found nothing at " + folder);
        }
        List<String> ids = new ArrayList<>();
        try (Stream<Path> s = Files.list(folder)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".npy") && !n.endsWith("_seg.npy")).sorted()
                    .forEach(n -> ids.add(n.substring(0, n.length() - ".npy".length())));
        }
        if (ids.isEmpty()) {
            throw new IllegalArgumentException(folder + ": expected preprocessed cases (<case>.npy, <case>.json), found no "
                    + "<case>.npy");
        }
        for (String id : ids) {
            if (!Files.isRegularFile(folder.resolve(id + ".json"))) {
                throw new IllegalArgumentException(folder + ": case " + id + " has a .npy but no " + id + ".json");
            }
        }
        return new PreprocessedDataset(folder, Collections.unmodifiableList(ids), true);
    }

    public Path folder() {
        return folder;
    }

    /** Case identifiers, sorted. */
    public List<String> ids() {
        return ids;
    }

    public PreprocessedCase get(String id) {
        if (!ids.contains(id)) {
            throw new IllegalArgumentException(folder + ": no preprocessed case '" + id + "'");
        }
        return cache.computeIfAbsent(id, this::load);
    }

    private PreprocessedCase load(String id) {
        try {
            NdArray data = Npy.read(folder.resolve(id + ".npy"));
            Path segFile = folder.resolve(id + "_seg.npy");
            if (segmentationOptional && !Files.isRegularFile(segFile)) {
                return withoutSegmentation(id, data);
            }
            NdArray seg = Npy.read(segFile);
            long[] ds = data.shape();
            long[] ss = seg.shape();
            if (ds.length != 4 || ss.length != 4 || ss[0] != 1 || !Arrays.equals(Arrays.copyOfRange(ds, 1, 4),
                    Arrays.copyOfRange(ss, 1, 4))) {
                throw new IllegalArgumentException(folder + ": case " + id + ": expected data (c, z, y, x) and seg "
                        + "(1, z, y, x) of the same spatial shape, found " + Arrays.toString(ds) + " and "
                        + Arrays.toString(ss));
            }
            if (seg.dtype().isFloatingPoint()) {
                throw new IllegalArgumentException(folder.resolve(id + "_seg.npy") + ": expected an integer segmentation, "
                        + "found " + seg.dtype());
            }
            int[] segInts = seg.toInts();
            short[] segShorts = new short[segInts.length];
            for (int i = 0; i < segInts.length; i++) {
                segShorts[i] = (short) segInts[i];
            }
            int[] shape = {(int) ds[1], (int) ds[2], (int) ds[3]};
            // tasks without a label map sample no foreground: the preprocessor records no class_locations then
            return new PreprocessedCase(id, (int) ds[0], shape, data.toFloats(), segShorts,
                    segmentationOptional ? Map.of() : classLocations(folder.resolve(id + ".json")));
        } catch (IOException e) {
            throw new UncheckedIOException(folder + ": case " + id + ": " + e.getMessage(), e);
        }
    }

    private PreprocessedCase withoutSegmentation(String id, NdArray data) {
        long[] ds = data.shape();
        if (ds.length != 4) {
            throw new IllegalArgumentException(folder + ": case " + id + ": expected data (c, z, y, x), found "
                    + Arrays.toString(ds));
        }
        int[] shape = {(int) ds[1], (int) ds[2], (int) ds[3]};
        return new PreprocessedCase(id, (int) ds[0], shape, data.toFloats(),
                new short[shape[0] * shape[1] * shape[2]], Map.of());
    }

    static Map<Integer, int[][]> classLocations(Path propertiesJson) throws IOException {
        JsonNode root = MAPPER.readTree(propertiesJson.toFile());
        JsonNode cl = root.get("class_locations");
        if (cl == null || !cl.isObject()) {
            throw new IllegalArgumentException(propertiesJson + ": expected a 'class_locations' object (label -> list of "
                    + "[c, z, y, x]), found " + cl);
        }
        Map<Integer, int[][]> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = cl.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int label;
            try {
                label = Integer.parseInt(e.getKey());
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException(propertiesJson + ": class_locations key '" + e.getKey()
                        + "': expected an integer label (region-based training is not supported)");
            }
            out.put(label, MAPPER.treeToValue(e.getValue(), int[][].class));
        }
        return out;
    }
}
