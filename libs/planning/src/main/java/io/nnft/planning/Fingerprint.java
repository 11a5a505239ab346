package io.nnft.planning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nnft.pycompat.PythonJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * nnU-Net's {@code dataset_fingerprint.json}: per case spacing and shape after cropping to nonzero (in
 * the reader's z,y,x order), foreground intensity statistics per channel and the median relative size
 * after cropping. Written with sorted keys, as nnU-Net's save_json does.
 */
public record Fingerprint(List<IntensityProperties> foregroundIntensityPropertiesPerChannel,
                          double medianRelativeSizeAfterCropping,
                          int[][] shapesAfterCrop,
                          double[][] spacings) {

    public Fingerprint {
        foregroundIntensityPropertiesPerChannel = List.copyOf(foregroundIntensityPropertiesPerChannel);
        if (shapesAfterCrop.length != spacings.length) {
            throw new PlansException("fingerprint: " + shapesAfterCrop.length + " shapes_after_crop but "
                    + spacings.length + " spacings; expected one of each per case");
        }
    }

    public int numberOfCases() {
        return spacings.length;
    }

    public static Fingerprint read(Path file) {
        return fromJson(Json.readObject(file), file.toString());
    }

    public static Fingerprint parse(String json, String source) {
        return fromJson(Json.parseObject(json, source), source);
    }

    public static Fingerprint fromJson(ObjectNode root, String source) {
        ObjectNode fg = Json.object(root, "foreground_intensity_properties_per_channel", source);
        List<IntensityProperties> props = new ArrayList<>();
        for (int c = 0; c < fg.size(); c++) {
            JsonNode n = fg.get(Integer.toString(c));
            if (n == null) {
                List<String> keys = new ArrayList<>();
                fg.fieldNames().forEachRemaining(keys::add);
                throw new PlansException(source + ".foreground_intensity_properties_per_channel: expected channel keys "
                        + "0.." + (fg.size() - 1) + ", found " + keys);
            }
            props.add(IntensityProperties.fromJson(n, source + ".foreground_intensity_properties_per_channel." + c));
        }
        double mrs = Json.number(root, "median_relative_size_after_cropping", source);
        int[][] shapes = Json.intMatrix(root, "shapes_after_crop", source);
        JsonNode sp = Json.array(root, "spacings", source);
        double[][] spacings = new double[sp.size()][];
        for (int i = 0; i < sp.size(); i++) {
            JsonNode row = sp.get(i);
            if (!row.isArray()) {
                throw new PlansException(source + ".spacings[" + i + "]: expected a list, found " + row);
            }
            spacings[i] = new double[row.size()];
            for (int j = 0; j < row.size(); j++) {
                if (!row.get(j).isNumber()) {
                    throw new PlansException(source + ".spacings[" + i + "][" + j + "]: expected a number, found "
                            + row.get(j));
                }
                spacings[i][j] = row.get(j).asDouble();
            }
        }
        if (shapes.length != spacings.length) {
            throw new PlansException(source + ": " + shapes.length + " shapes_after_crop but " + spacings.length
                    + " spacings; expected one of each per case");
        }
        if (shapes.length == 0) {
            throw new PlansException(source + ": no cases (spacings is empty)");
        }
        for (int i = 0; i < shapes.length; i++) {
            if (shapes[i].length != spacings[i].length) {
                throw new PlansException(source + ": case " + i + " has a " + shapes[i].length
                        + "-d shape but a " + spacings[i].length + "-d spacing");
            }
        }
        return new Fingerprint(props, mrs, shapes, spacings);
    }

    /** Sorted keys, like nnU-Net's save_json(sort_keys=True). */
    public ObjectNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        ObjectNode fg = root.putObject("foreground_intensity_properties_per_channel");
        for (int c = 0; c < foregroundIntensityPropertiesPerChannel.size(); c++) {
            fg.set(Integer.toString(c), foregroundIntensityPropertiesPerChannel.get(c).toJson());
        }
        root.put("median_relative_size_after_cropping", medianRelativeSizeAfterCropping);
        ArrayNode shapes = root.putArray("shapes_after_crop");
        for (int[] s : shapesAfterCrop) {
            ArrayNode a = shapes.addArray();
            for (int v : s) {
                a.add(v);
            }
        }
        ArrayNode sp = root.putArray("spacings");
        for (double[] s : spacings) {
            ArrayNode a = sp.addArray();
            for (double v : s) {
                a.add(v);
            }
        }
        return root;
    }

    public String toJsonString() {
        return PythonJson.write(toJson());
    }

    public void write(Path file) {
        try {
            Files.writeString(file, toJsonString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write fingerprint to " + file, e);
        }
    }
}
