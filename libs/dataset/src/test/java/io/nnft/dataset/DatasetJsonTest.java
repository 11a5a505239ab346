package io.nnft.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class DatasetJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode json(String s) throws Exception {
        return (ObjectNode) JSON.readTree(s.replace('\'', '"'));
    }

    @Test
    void regionsIgnoreLabelAndChannelOrder() throws Exception {
        DatasetJson dj = DatasetJson.parse(json("{'channel_names': {'1': 'ADC', '0': 'T2'},"
                + " 'labels': {'background': 0, 'whole': [1, 2, 3], 'core': [2, 3], 'enh': 3, 'ignore': 4},"
                + " 'regions_class_order': [1, 2, 3], 'numTraining': 5, 'file_ending': '.nii.gz'}"), "dataset.json");
        assertThat(dj.channelNames()).containsExactly("T2", "ADC");
        assertThat(dj.hasRegions()).isTrue();
        assertThat(dj.ignoreLabel()).isEqualTo(4);
        assertThat(dj.allowedLabelValues()).containsExactly(0, 1, 2, 3, 4);
        assertThat(dj.labels().get("whole")).containsExactly(1, 2, 3);
        assertThat(dj.regionsClassOrder()).containsExactly(1, 2, 3);
    }

    @Test
    void everyProblemIsListedWithKeyExpectedAndFound() throws Exception {
        DatasetFormatException e = catchThrowableOfType(() -> DatasetJson.parse(json(
                "{'modality': {'0': 'CT'}, 'labels': {'0': 'background', '1': 'liver'}, 'numTraining': -3}"),
                "ds/dataset.json"), DatasetFormatException.class);
        assertThat(e.problems()).extracting(Object::toString).containsExactlyInAnyOrder(
                "ERROR ds/dataset.json key channel_names: required key: expected present, found missing"
                        + " (found nnU-Net v1's 'modality'; v2 calls it channel_names)",
                "ERROR ds/dataset.json key file_ending: required key: expected present, found missing",
                "ERROR ds/dataset.json key labels.0: label value: expected an integer or a non-empty list of integers,"
                        + " found \"background\" (nnU-Net v1 wrote value -> name; v2 wants name -> value)",
                "ERROR ds/dataset.json key labels.1: label value: expected an integer or a non-empty list of integers,"
                        + " found \"liver\" (nnU-Net v1 wrote value -> name; v2 wants name -> value)",
                "ERROR ds/dataset.json key numTraining: type: expected a non-negative integer, found -3");
    }

    @Test
    void labelsMustIncludeBackgroundAndBeConsecutive() throws Exception {
        DatasetFormatException e = catchThrowableOfType(() -> DatasetJson.parse(json(
                "{'channel_names': {'0': 'CT', '2': 'PET'}, 'labels': {'a': 1, 'b': 3}, 'numTraining': 1,"
                        + " 'file_ending': 'nii'}"), "dataset.json"), DatasetFormatException.class);
        assertThat(e.getMessage())
                .contains("channel indices: expected consecutive from 0 (0..1), found [0, 2]")
                .contains("background: expected a label with value 0 (background), found values [1, 3]")
                .contains("label values: expected consecutive 0, 1, 2, ... (ignore label last), found [1, 3]")
                .contains("file_ending: type: expected a file ending starting with '.'");
        DatasetFormatException r = catchThrowableOfType(() -> DatasetJson.parse(json(
                "{'channel_names': {'0': 'CT'}, 'labels': {'background': 0, 'r': [1, 2], 'c': 2}, 'numTraining': 1,"
                        + " 'file_ending': '.nii'}"), "dataset.json"), DatasetFormatException.class);
        assertThat(r.getMessage()).contains("regions_class_order: required with region labels");
    }
}
