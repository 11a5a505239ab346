package io.nnft.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RawDatasetTest {
    @TempDir
    Path dir;

    static Path ctFixture() {
        try {
            return Path.of(RawDatasetTest.class.getResource("/ct/dataset.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void listsTheFixtureCasesWithTheirFiles() throws IOException {
        RawDataset ds = RawDataset.open(ctFixture());
        assertThat(ds.datasetJson().channelNames()).containsExactly("CT");
        assertThat(ds.datasetJson().numTraining()).isEqualTo(3);
        assertThat(ds.datasetJson().fileEnding()).isEqualTo(".nii.gz");
        assertThat(ds.datasetJson().allowedLabelValues()).containsExactly(0, 1, 2);
        assertThat(ds.datasetJson().raw().get("name").asText()).isEqualTo("PrepCT");
        assertThat(ds.cases()).extracting(RawCase::id).containsExactly("ct_000", "ct_001", "ct_002");
        RawCase c = ds.cases().get(1);
        assertThat(c.images()).containsExactly(ctFixture().resolve("imagesTr/ct_001_0000.nii.gz"));
        assertThat(c.label()).isEqualTo(ctFixture().resolve("labelsTr/ct_001.nii.gz"));
        assertThat(c.hasLabel()).isTrue();
        assertThat(ds.strayImageFiles()).isEmpty();
        assertThat(ds.strayLabelFiles()).isEmpty();
    }

    @Test
    void casesAreSortedLikePythonAndChannelsByIndex() throws IOException {
        SyntheticDataset s = new SyntheticDataset(dir, ".nii");
        s.datasetJson(2, 2, 3);
        int[] shape = {2, 2, 2};
        double[] sp = {1, 1, 1};
        for (String id : new String[] {"case_10", "Case_2", "case_2"}) {
            s.writeCase(id, 2, 2, shape, sp);
        }
        Files.writeString(dir.resolve("imagesTr/readme.txt"), "not an image");
        Files.writeString(dir.resolve("imagesTr/case_3.nii"), "no channel suffix");
        Files.writeString(dir.resolve("labelsTr/orphan.nii"), "no images");
        RawDataset ds = RawDataset.open(dir);
        // Python's sorted(): uppercase before lowercase, "case_10" before "case_2"
        assertThat(ds.cases()).extracting(RawCase::id).containsExactly("Case_2", "case_10", "case_2");
        assertThat(ds.cases().get(1).images()).extracting(p -> p.getFileName().toString())
                .containsExactly("case_10_0000.nii", "case_10_0001.nii");
        assertThat(ds.strayImageFiles()).extracting(p -> p.getFileName().toString()).containsExactly("case_3.nii");
        assertThat(ds.strayLabelFiles()).extracting(p -> p.getFileName().toString()).containsExactly("orphan.nii");
    }

    @Test
    void missingDatasetJsonOrImagesTrIsRefusedWithWhere() throws IOException {
        Files.createDirectories(dir.resolve("raw/imagesTr"));
        assertThatThrownBy(() -> RawDataset.open(dir.resolve("raw"))).isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("dataset.json").hasMessageContaining("expected a file, found none");
        SyntheticDataset s = new SyntheticDataset(dir.resolve("other"), ".nii.gz");
        s.datasetJson(1, 2, 0);
        Files.delete(dir.resolve("other/imagesTr"));
        assertThatThrownBy(() -> RawDataset.open(dir.resolve("other"))).isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("imagesTr").hasMessageContaining("found none");
    }

    @Test
    void channelIndexParsesOnlyFourDigits() {
        assertThat(RawCase.channelIndex("a_b_0003.nii.gz", "a_b", ".nii.gz")).isEqualTo(3);
        assertThat(RawCase.channelIndex("a_b_003.nii.gz", "a_b", ".nii.gz")).isEqualTo(-1);
        assertThat(RawCase.channelIndex("a_b_00x3.nii.gz", "a_b", ".nii.gz")).isEqualTo(-1);
        assertThat(List.of(RawCase.channelIndex("a_b_0003.nii", "a_b", ".nii.gz"))).containsExactly(-1);
    }
}
