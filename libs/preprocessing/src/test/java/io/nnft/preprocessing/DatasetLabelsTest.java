package io.nnft.preprocessing;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which classes nnU-Net's LabelManager hands to the class-location sampling. */
class DatasetLabelsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static List<short[]> classes(String labelsJson) throws Exception {
        return DatasetLabels.fromDatasetJson(MAPPER.readTree("{\"labels\": " + labelsJson + "}"), "dataset.json")
                .classesForLocations();
    }

    @Test
    void plainLabelsAreTheForegroundLabelsInAscendingOrder() throws Exception {
        assertThat(classes("{\"background\": 0, \"tumor\": 2, \"liver\": 1}"))
                .containsExactly(new short[]{1}, new short[]{2});
    }

    @Test
    void anIgnoreLabelAddsAllLabelsIncludingBackground() throws Exception {
        assertThat(classes("{\"background\": 0, \"a\": 1, \"b\": 2, \"ignore\": 3}"))
                .containsExactly(new short[]{1}, new short[]{2}, new short[]{0, 1, 2});
    }

    @Test
    void regionsAreCollectedAsDeclared() throws Exception {
        assertThat(classes("{\"background\": 0, \"whole\": [1, 2, 3], \"core\": [2, 3], \"enhancing\": 3}"))
                .containsExactly(new short[]{1, 2, 3}, new short[]{2, 3}, new short[]{3});
    }

    @Test
    void aMissingBackgroundIsRefused() {
        assertThatThrownBy(() -> classes("{\"a\": 1}")).hasMessageContaining("background must be label 0");
        assertThatThrownBy(() -> classes("{\"background\": 0, \"a\": \"x\"}")).hasMessageContaining("labels.a");
    }
}
