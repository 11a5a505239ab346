package io.nnft.planning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What the planner reads from {@code dataset.json} and the fingerprint, validated up front so a bad
 * file fails with the key that is wrong instead of somewhere inside the planning.
 *
 * @param datasetName       e.g. {@code Dataset004_Hippocampus}
 * @param channelNames      dataset.json channel_names (or the legacy modality) in key order
 * @param numLabels         number of entries in labels, background included (the network's outputs)
 * @param numTraining       dataset.json numTraining
 * @param imageReaderWriter nnU-Net's reader/writer class name for the file ending
 * @param useMaskForNorm    dataset.json's optional use_mask_for_norm switch
 * @param fingerprint       the dataset fingerprint
 */
public record PlannerInputs(String datasetName, List<String> channelNames, int numLabels, int numTraining,
                            String imageReaderWriter, boolean useMaskForNorm, Fingerprint fingerprint) {

    private static final Pattern DATASET_NAME = Pattern.compile("Dataset\\d{3}_.+");

    public PlannerInputs {
        channelNames = List.copyOf(channelNames);
    }

    public int numInputChannels() {
        return channelNames.size();
    }

    public static PlannerInputs read(Path datasetJson, Path fingerprint, String datasetName) {
        ObjectNode dj = Json.readObject(datasetJson);
        Fingerprint fp = Fingerprint.read(fingerprint);
        String name = datasetName != null ? datasetName : defaultDatasetName(datasetJson, dj);
        return of(dj, datasetJson.toString(), fp, name);
    }

    /**
     * The folder holding dataset.json when it is named like {@code DatasetNNN_Name} (nnU-Net's raw layout),
     * else dataset.json's {@code name}.
     */
    public static String defaultDatasetName(Path datasetJson, ObjectNode dj) {
        Path parent = datasetJson.toAbsolutePath().getParent();
        if (parent != null && parent.getFileName() != null
                && DATASET_NAME.matcher(parent.getFileName().toString()).matches()) {
            return parent.getFileName().toString();
        }
        return Json.text(dj, "name", datasetJson.toString());
    }

    public static PlannerInputs of(ObjectNode dj, String source, Fingerprint fp, String datasetName) {
        ObjectNode channels = dj.has("channel_names") ? Json.object(dj, "channel_names", source)
                : dj.has("modality") ? Json.object(dj, "modality", source) : null;
        if (channels == null) {
            throw new PlansException(source + ": missing key 'channel_names'");
        }
        if (channels.size() == 0) {
            throw new PlansException(source + ".channel_names: expected at least one channel, found none");
        }
        List<String> names = new ArrayList<>();
        channels.fields().forEachRemaining(e -> names.add(e.getValue().asText()));
        ObjectNode labels = Json.object(dj, "labels", source);
        if (labels.size() < 2) {
            throw new PlansException(source + ".labels: expected background and at least one label, found "
                    + labels.size() + " entries");
        }
        int numTraining = Json.integer(dj, "numTraining", source);
        if (numTraining <= 0) {
            throw new PlansException(source + ".numTraining: expected > 0, found " + numTraining);
        }
        String ending = Json.text(dj, "file_ending", source);
        JsonNode rw = dj.get("overwrite_image_reader_writer");
        String readerWriter = rw != null && rw.isTextual() && !rw.asText().equals("None") ? rw.asText()
                : readerWriterFor(ending, source);
        JsonNode um = dj.get("use_mask_for_norm");
        boolean useMask = um != null && um.asBoolean(false);
        if (fp.foregroundIntensityPropertiesPerChannel().size() != names.size()) {
            throw new PlansException("fingerprint has intensity properties for "
                    + fp.foregroundIntensityPropertiesPerChannel().size() + " channels but " + source
                    + " declares " + names.size() + " channels " + names);
        }
        for (int i = 0; i < fp.numberOfCases(); i++) {
            if (fp.spacings()[i].length != 3) {
                throw new PlansException("fingerprint case " + i + ": expected a 3-d spacing, found "
                        + fp.spacings()[i].length + " entries");
            }
            for (double s : fp.spacings()[i]) {
                if (!(s > 0)) {
                    throw new PlansException("fingerprint case " + i + ": spacing must be > 0, found "
                            + java.util.Arrays.toString(fp.spacings()[i]));
                }
            }
        }
        return new PlannerInputs(datasetName, names, labels.size(), numTraining, readerWriter, useMask, fp);
    }

    /**
     * nnU-Net picks the first reader/writer that supports the file ending: SimpleITK for medical formats,
     * the 2d natural image reader for png/bmp/tif, Tiff3DIO for tiff.
     */
    static String readerWriterFor(String fileEnding, String source) {
        String e = fileEnding.toLowerCase(Locale.ROOT);
        return switch (e) {
            case ".nii", ".nii.gz", ".nrrd", ".mha", ".gipl" -> "SimpleITKIO";
            case ".png", ".bmp", ".tif" -> "NaturalImage2DIO";
            case ".tiff" -> "Tiff3DIO";
            default -> throw new PlansException(source + ".file_ending: no nnU-Net reader for '" + fileEnding
                    + "', expected one of .nii.gz .nii .nrrd .mha .gipl .png .bmp .tif .tiff");
        };
    }
}
