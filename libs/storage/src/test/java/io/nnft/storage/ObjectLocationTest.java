package io.nnft.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ObjectLocationTest {
    @Test
    void acceptsOurBucketAndBareKeys() {
        assertThat(ObjectLocation.parse("s3://nnft/datasets/Dataset001_X/", "nnft").key())
                .isEqualTo("datasets/Dataset001_X/");
        assertThat(ObjectLocation.parse("datasets/Dataset001_X", "nnft").prefix())
                .isEqualTo("datasets/Dataset001_X/");
        assertThat(ObjectLocation.parse("datasets/D", "nnft").resolve("dataset.json"))
                .isEqualTo("datasets/D/dataset.json");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "s3://other/datasets/x|names bucket 'other', expected 'nnft'",
        "https://evil.example/nnft/x|foreign scheme or endpoint",
        "http://127.0.0.1:9000/nnft/x|foreign scheme or endpoint",
        "/etc/passwd|absolute path",
        "datasets/../jobs/x|'..' path segment",
        "s3://nnft/a/./b|'.' path segment",
        "s3://nnft|no object key",
        "a\\b|backslash",
    })
    void refusesLocationsOutsideOurBucket(String location, String rule) {
        assertThatThrownBy(() -> ObjectLocation.parse(location, "nnft"))
                .isInstanceOf(InvalidLocationException.class)
                .hasMessageContaining(location)
                .hasMessageContaining(rule);
    }

    @Test
    void layoutRefusesBadJobIdsAndDatasetNames() {
        assertThat(ObjectLayout.state("job-1")).isEqualTo("jobs/job-1/state.json");
        assertThat(ObjectLayout.preprocessed("job-1", "3d_fullres")).isEqualTo("jobs/job-1/preprocessed/3d_fullres/");
        assertThatThrownBy(() -> ObjectLayout.job("../x")).hasMessageContaining("is not a job id");
        assertThatThrownBy(() -> ObjectLayout.job("Job")).hasMessageContaining("is not a job id");
        assertThatThrownBy(() -> ObjectLayout.dataset("ds")).hasMessageContaining("Dataset001_Name");
    }

    @Test
    void settingsNeverPrintTheSecret() {
        assertThat(StorageSettings.of("http://h:9000", "ak", "s3cr3t", "nnft").toString()).doesNotContain("s3cr3t");
    }
}
