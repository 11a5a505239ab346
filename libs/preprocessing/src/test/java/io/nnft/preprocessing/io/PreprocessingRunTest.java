package io.nnft.preprocessing.io;

import io.nnft.imageio.NdArray;
import io.nnft.imageio.Npy;
import io.nnft.preprocessing.CtFixtureAccess;
import io.nnft.preprocessing.RawCase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The folder-level run over the ct fixture's raw layout, with a reader that serves ct_000's arrays
 * (the NIfTI reader is tested where it lives): output layout, re-use of finished cases, failures
 * naming their case.
 */
class PreprocessingRunTest {

    private static Path rawDir(Path tmp) throws IOException {
        Path raw = tmp.resolve("raw");
        Path src = CtFixtureAccess.dir().resolve("raw");
        for (String sub : new String[]{"imagesTr", "labelsTr"}) {
            Files.createDirectories(raw.resolve(sub));
            try (var files = Files.list(src.resolve(sub))) {
                for (Path f : files.toList()) {
                    Files.copy(f, raw.resolve(sub).resolve(f.getFileName()));
                }
            }
        }
        Files.copy(CtFixtureAccess.dir().resolve("dataset.json"), raw.resolve("dataset.json"));
        return raw;
    }

    private static CaseReader ct000Reader(List<String> seen) {
        return files -> {
            synchronized (seen) {
                seen.add(files.identifier());
            }
            RawCase c = CtFixtureAccess.ct000(files.label() != null);
            return new RawCase(files.identifier(), c.data(), c.shape(), c.seg(), c.spacing(), c.readerProperties());
        };
    }

    @Test
    void writesNnUnetLayoutAndReusesFinishedCases(@TempDir Path tmp) throws IOException {
        Path raw = rawDir(tmp);
        Path out = tmp.resolve("out");
        PreprocessingRun.Options o = new PreprocessingRun.Options(raw, CtFixtureAccess.dir().resolve("nnUNetPlans.json"),
                "3d_fullres", out, List.of(), 2, 2, true);
        List<String> seen = new ArrayList<>();
        List<PreprocessingRun.CaseReport> reports = PreprocessingRun.run(o, ct000Reader(seen), null);

        assertThat(reports).extracting(PreprocessingRun.CaseReport::identifier).containsExactly("ct_000", "ct_001", "ct_002");
        assertThat(seen).containsExactlyInAnyOrder("ct_000", "ct_001", "ct_002");
        assertThat(out.resolve("dataset.json")).exists();
        assertThat(out.resolve("nnUNetPlans.json")).hasSameTextualContentAs(CtFixtureAccess.dir().resolve("nnUNetPlans.json"));
        NdArray data = Npy.read(out.resolve("ct_000.npy"));
        NdArray seg = Npy.read(out.resolve("ct_000_seg.npy"));
        NdArray ref = Npy.read(CtFixtureAccess.dir().resolve("3d_fullres/data.npy"));
        assertThat(data.shape()).containsExactly(ref.shape());
        assertThat(data.dtype()).isEqualTo(ref.dtype());
        assertThat(seg.dtype().descr()).isEqualTo("|i1");
        assertThat(seg.toInts()).containsExactly(Npy.read(CtFixtureAccess.dir().resolve("3d_fullres/seg.npy")).toInts());
        assertThat(Files.readString(out.resolve("ct_000.json"))).contains("\"class_locations\"").contains("\"nibabel_stuff\"");

        // a second run keeps finished cases; only the one whose properties are gone is redone
        Files.delete(out.resolve("ct_001.json"));
        seen.clear();
        List<PreprocessingRun.CaseReport> again = PreprocessingRun.run(o, ct000Reader(seen), null);
        assertThat(seen).containsExactly("ct_001");
        assertThat(again).filteredOn(PreprocessingRun.CaseReport::skipped).hasSize(2);
    }

    @Test
    void aFailingCaseIsNamed(@TempDir Path tmp) throws IOException {
        Path raw = rawDir(tmp);
        PreprocessingRun.Options o = new PreprocessingRun.Options(raw, CtFixtureAccess.dir().resolve("nnUNetPlans.json"),
                "2d", tmp.resolve("out"), List.of("ct_000", "ct_002"), 1, 1, false);
        CaseReader reader = files -> {
            if (files.identifier().equals("ct_002")) {
                throw new IOException(files.images().get(0) + ": truncated gzip stream");
            }
            return ct000Reader(new ArrayList<>()).read(files);
        };
        assertThatThrownBy(() -> PreprocessingRun.run(o, reader, null))
                .isInstanceOf(PreprocessingException.class)
                .hasMessageContaining("case ct_002")
                .hasMessageContaining("ct_002_0000.nii.gz: truncated gzip stream");
    }

    @Test
    void unknownCasesAreRefusedByName(@TempDir Path tmp) throws IOException {
        Path raw = rawDir(tmp);
        PreprocessingRun.Options o = new PreprocessingRun.Options(raw, CtFixtureAccess.dir().resolve("nnUNetPlans.json"),
                "2d", tmp.resolve("out"), List.of("ct_000", "ct_999"), 1, 1, false);
        assertThatThrownBy(() -> PreprocessingRun.run(o, ct000Reader(new ArrayList<>()), null))
                .hasMessageContaining("[ct_999]").hasMessageContaining("ct_000, ct_001, ct_002");
    }
}
