package io.nnft.gateway.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nnft.gateway.ProblemException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Zip slip and zip bombs stop at the unpacker; ordinary zips unpack as they are. */
class ZipUnpackerTest {
    @TempDir
    Path tmp;

    private Path zip(Map<String, byte[]> entries) throws IOException {
        Path z = tmp.resolve("in.zip");
        try (OutputStream out = Files.newOutputStream(z); ZipOutputStream zout = new ZipOutputStream(out)) {
            for (var e : entries.entrySet()) {
                zout.putNextEntry(new ZipEntry(e.getKey()));
                zout.write(e.getValue());
                zout.closeEntry();
            }
        }
        return z;
    }

    @Test
    void unpacksNestedFiles() throws IOException {
        Path z = zip(Map.of("Dataset001_A/dataset.json", "{}".getBytes(StandardCharsets.UTF_8),
                "Dataset001_A/imagesTr/a_0000.nii.gz", new byte[100]));
        int files = new ZipUnpacker(1000, 10).unpack(z, tmp.resolve("out"));
        assertThat(files).isEqualTo(2);
        assertThat(tmp.resolve("out/Dataset001_A/imagesTr/a_0000.nii.gz")).hasSize(100);
    }

    @Test
    void refusesEntriesLeavingTheFolder() throws IOException {
        for (String evil : new String[] {"../evil.txt", "a/../../evil.txt", "/etc/evil", "C:/evil", "a\\..\\..\\evil"}) {
            Path z = zip(Map.of(evil, new byte[1]));
            assertThatThrownBy(() -> new ZipUnpacker(1000, 10).unpack(z, tmp.resolve("out")))
                    .isInstanceOf(ProblemException.class)
                    .satisfies(e -> assertThat(((ProblemException) e).problems().get(0).where()).contains(evil));
        }
        assertThat(tmp.resolve("evil.txt")).doesNotExist();
    }

    @Test
    void stopsAtTheUnpackedSizeWhateverTheEntriesClaim() throws IOException {
        Path z = zip(Map.of("big.bin", new byte[5000]));
        assertThatThrownBy(() -> new ZipUnpacker(4096, 10).unpack(z, tmp.resolve("out")))
                .isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(413));
    }

    @Test
    void refusesWhatIsNotAZip() throws IOException {
        Path z = tmp.resolve("not.zip");
        Files.writeString(z, "hello, not a zip");
        assertThatThrownBy(() -> new ZipUnpacker(4096, 10).unpack(z, tmp.resolve("out")))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("not a zip");
    }
}
