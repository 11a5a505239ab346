package io.nnft.gateway.service;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.nnft.gateway.ProblemException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Fuzzes the first thing {@code POST /datasets} does with an upload: {@link ZipUnpacker} (plain class, no
 * Quarkus), with small limits so a bomb trips them in microseconds. Contract: files written below the
 * target, or a {@link ProblemException} (the REST layer's 400/413); an IOException or any other throwable
 * would be a 500 for a bad upload, so it is a finding too. Everything written must stay below the target.
 */
class ZipUnpackerFuzzTest {
    private static final ZipUnpacker UNPACKER = new ZipUnpacker(new ZipUnpacker.Limits(1 << 20, 1 << 18, 64, 100));
    private static final Path SCRATCH = scratch();

    @FuzzTest(maxDuration = "5m")
    void unpack(byte[] input) throws IOException {
        Path zip = SCRATCH.resolve("upload.zip");
        Path raw = SCRATCH.resolve("raw");
        Files.write(zip, input);
        try {
            UNPACKER.unpack(zip, raw);
        } catch (ProblemException expected) {
            // a 400 or 413 naming the entry
        } finally {
            try (Stream<Path> left = Files.walk(SCRATCH)) {
                for (Path p : left.sorted(Comparator.reverseOrder()).toList()) {
                    if (!p.equals(SCRATCH) && !p.equals(zip) && !p.startsWith(raw)) {
                        throw new AssertionError("zip slip: " + p + " written outside " + raw);
                    }
                    if (!p.equals(SCRATCH)) {
                        Files.delete(p);
                    }
                }
            }
        }
    }

    private static Path scratch() {
        try {
            Path dir = Files.createTempDirectory("nnft-fuzz-zip-");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Regenerates the seeds: {@code -Dnnft.fuzz.writeSeeds=true -Dtest=ZipUnpackerFuzzTest#writeSeeds}. */
    @Test
    @EnabledIfSystemProperty(named = "nnft.fuzz.writeSeeds", matches = "true")
    void writeSeeds() throws IOException {
        Path dir = Files.createDirectories(
                Path.of("src/test/resources/io/nnft/gateway/service/ZipUnpackerFuzzTestInputs/unpack"));
        Map<String, byte[]> dataset = new LinkedHashMap<>();
        dataset.put("Dataset001_Tiny/", null);
        dataset.put("Dataset001_Tiny/dataset.json", "{\"channel_names\": {\"0\": \"CT\"}, \"labels\": {\"background\": 0,"
                .concat(" \"liver\": 1}, \"numTraining\": 1, \"file_ending\": \".nii.gz\"}").getBytes(StandardCharsets.UTF_8));
        dataset.put("Dataset001_Tiny/imagesTr/", null);
        dataset.put("Dataset001_Tiny/imagesTr/case_000_0000.nii.gz", new byte[] {0x1f, (byte) 0x8b, 8, 0});
        dataset.put("Dataset001_Tiny/labelsTr/case_000.nii.gz", new byte[] {0x1f, (byte) 0x8b, 8, 0});
        zip(dir.resolve("dataset_folder.zip"), dataset, true);
        zip(dir.resolve("dataset_at_root_stored.zip"), Map.of("dataset.json", "{}".getBytes(StandardCharsets.UTF_8),
                "__MACOSX/._dataset.json", new byte[4]), false);
        zip(dir.resolve("zip_slip.zip"), Map.of("../evil/dataset.json", new byte[1]), true);
        zip(dir.resolve("zeros_bomb.zip"), Map.of("imagesTr/a.nii", new byte[1 << 19]), true);
    }

    private static void zip(Path file, Map<String, byte[]> entries, boolean deflate) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream z = new ZipOutputStream(out)) {
            z.setMethod(deflate ? ZipOutputStream.DEFLATED : ZipOutputStream.STORED);
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                byte[] b = e.getValue() == null ? new byte[0] : e.getValue();
                if (!deflate) {
                    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                    crc.update(b);
                    entry.setSize(b.length);
                    entry.setCompressedSize(b.length);
                    entry.setCrc(crc.getValue());
                }
                z.putNextEntry(entry);
                z.write(b);
                z.closeEntry();
            }
        }
    }
}
