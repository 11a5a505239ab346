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

    private static ZipUnpacker.Limits limits(long maxUnpacked, int maxEntries) {
        return new ZipUnpacker.Limits(maxUnpacked, maxUnpacked, maxEntries, 100);
    }

    @Test
    void unpacksNestedFiles() throws IOException {
        Path z = zip(Map.of("Dataset001_A/dataset.json", "{}".getBytes(StandardCharsets.UTF_8),
                "Dataset001_A/imagesTr/a_0000.nii.gz", new byte[100]));
        int files = new ZipUnpacker(limits(1000, 10)).unpack(z, tmp.resolve("out"));
        assertThat(files).isEqualTo(2);
        assertThat(tmp.resolve("out/Dataset001_A/imagesTr/a_0000.nii.gz")).hasSize(100);
    }

    @Test
    void refusesEntriesLeavingTheFolder() throws IOException {
        for (String evil : new String[] {"../evil.txt", "a/../../evil.txt", "/etc/evil", "C:/evil", "a\\..\\..\\evil"}) {
            Path z = zip(Map.of(evil, new byte[1]));
            assertThatThrownBy(() -> new ZipUnpacker(limits(1000, 10)).unpack(z, tmp.resolve("out")))
                    .isInstanceOf(ProblemException.class)
                    .satisfies(e -> assertThat(((ProblemException) e).problems().get(0).where()).contains(evil));
        }
        assertThat(tmp.resolve("evil.txt")).doesNotExist();
    }

    @Test
    void stopsAtTheUnpackedSizeWhateverTheEntriesClaim() throws IOException {
        Path z = zip(Map.of("imagesTr/big_0000.nii", new byte[5000]));
        assertThatThrownBy(() -> new ZipUnpacker(limits(4096, 10)).unpack(z, tmp.resolve("out")))
                .isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(413));
    }

    @Test
    void refusesWhatIsNotAZip() throws IOException {
        Path z = tmp.resolve("not.zip");
        Files.writeString(z, "hello, not a zip");
        assertThatThrownBy(() -> new ZipUnpacker(limits(4096, 10)).unpack(z, tmp.resolve("out")))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("not a zip");
    }

    /** The bomb of the issue: GiBs of zeros in a few MB. Stopped by its ratio after ~1 MiB, in milliseconds. */
    @Test
    void aZipBombStopsAtItsCompressionRatioWithinTheFirstMegabytes() throws IOException {
        Path z = tmp.resolve("bomb.zip");
        try (OutputStream out = Files.newOutputStream(z); ZipOutputStream zout = new ZipOutputStream(out)) {
            zout.putNextEntry(new ZipEntry("Dataset001_A/imagesTr/a_0000.nii"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 256; i++) {
                zout.write(zeros);
            }
            zout.closeEntry();
        }
        long t0 = System.nanoTime();
        ZipUnpacker unpacker = new ZipUnpacker(new ZipUnpacker.Limits(8L << 30, 4L << 30, 10, 100));
        assertThatThrownBy(() -> unpacker.unpack(z, tmp.resolve("out")))
                .isInstanceOf(ProblemException.class)
                .satisfies(e -> {
                    ProblemException p = (ProblemException) e;
                    assertThat(p.status()).isEqualTo(413);
                    assertThat(p.problems().get(0).where()).isEqualTo("zip entry 'Dataset001_A/imagesTr/a_0000.nii'");
                    assertThat(p.problems().get(0).found()).contains("a zip bomb?");
                });
        assertThat((System.nanoTime() - t0) / 1e9).as("seconds until refused").isLessThan(5);
        assertThat(Files.size(tmp.resolve("out/Dataset001_A/imagesTr/a_0000.nii"))).isLessThan(4L << 20);
    }

    @Test
    void aFileOverThePerEntryLimitIsRefused() throws IOException {
        byte[] noise = new byte[6000];
        new java.util.Random(1).nextBytes(noise);
        Path z = zip(Map.of("imagesTr/a_0000.nii.gz", noise));
        assertThatThrownBy(() -> new ZipUnpacker(new ZipUnpacker.Limits(100_000, 5000, 10, 100)).unpack(z, tmp.resolve("o")))
                .isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).problems().get(0).expected())
                        .contains("at most 5000 bytes unpacked per file"));
    }

    @Test
    void onlyDatasetFilesAreAccepted() throws IOException {
        for (String stranger : new String[] {"Dataset001_A/notes.txt", "Dataset001_A/imagesTr/run.sh",
                "Dataset001_A/nested/dataset.json", "evil.jar", "Dataset001_A/labelsTr/sub/a.nii.gz"}) {
            Path z = zip(Map.of("Dataset001_A/dataset.json", "{}".getBytes(StandardCharsets.UTF_8), stranger, new byte[3]));
            assertThatThrownBy(() -> new ZipUnpacker(limits(1000, 10)).unpack(z, tmp.resolve("out-" + stranger.hashCode())))
                    .as(stranger)
                    .isInstanceOf(ProblemException.class)
                    .satisfies(e -> {
                        assertThat(((ProblemException) e).status()).isEqualTo(400);
                        assertThat(((ProblemException) e).problems().get(0).where()).contains(stranger);
                    });
        }
        Path mac = zip(Map.of("Dataset001_A/dataset.json", new byte[2], "__MACOSX/Dataset001_A/._dataset.json", new byte[2],
                "Dataset001_A/.DS_Store", new byte[2], "Dataset001_A/classification.csv", new byte[2]));
        assertThat(new ZipUnpacker(limits(1000, 10)).unpack(mac, tmp.resolve("mac"))).isEqualTo(2);
        assertThat(tmp.resolve("mac/__MACOSX")).doesNotExist();
    }

    /** Uploads found by ZipUnpackerFuzzTest that were 500s: each is a 400 naming the problem. */
    @Test
    void truncatedStreamsAndUnreadableNamesAreBadRequests() throws Exception {
        ZipUnpacker u = new ZipUnpacker(limits(1 << 20, 10));
        byte[] whole = Files.readAllBytes(zip(Map.of("dataset.json", new byte[5000])));
        Path cut = Files.write(tmp.resolve("cut.zip"), java.util.Arrays.copyOf(whole, 60));
        assertThatThrownBy(() -> u.unpack(cut, tmp.resolve("a"))).isInstanceOf(ProblemException.class)
                .hasMessageContaining("not a zip file").hasMessageContaining("EOFException");
        Path nul = tmp.resolve("nul.zip");
        try (OutputStream out = Files.newOutputStream(nul); ZipOutputStream zout = new ZipOutputStream(out)) {
            zout.putNextEntry(new ZipEntry("imagesTr/a\u0000.nii"));
            zout.closeEntry();
        }
        assertThatThrownBy(() -> u.unpack(nul, tmp.resolve("b"))).isInstanceOf(ProblemException.class)
                .hasMessageContaining("an unreadable entry name").hasMessageContaining("Nul character not allowed");
        Path latin1 = tmp.resolve("latin1.zip");
        try (OutputStream out = Files.newOutputStream(latin1);
             ZipOutputStream zout = new ZipOutputStream(out, StandardCharsets.ISO_8859_1)) {
            zout.putNextEntry(new ZipEntry("imagesTr/\u00ff.nii"));
            zout.closeEntry();
        }
        assertThatThrownBy(() -> u.unpack(latin1, tmp.resolve("c"))).isInstanceOf(ProblemException.class)
                .hasMessageContaining("an unreadable entry name").hasMessageContaining("malformed input");
    }
}
