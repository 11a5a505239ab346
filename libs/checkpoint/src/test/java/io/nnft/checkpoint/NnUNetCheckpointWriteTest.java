package io.nnft.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.nnft.checkpoint.pickle.NumpyScalar;
import io.nnft.checkpoint.pickle.PyOrderedDict;
import io.nnft.checkpoint.pickle.TorchDevice;
import io.nnft.imageio.NdArray;
import io.nnft.imageio.Npz;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export of the fixture checkpoint: same keys, pickle globals, structure and scalar types as nnU-Net's. */
class NnUNetCheckpointWriteTest {
    @TempDir
    Path dir;

    @Test
    void exportHasNnUNetsKeysGlobalsAndPickleStructure() throws Exception {
        NnUNetCheckpoint ckpt = NnUNetCheckpoint.read(Fixtures.checkpoint());
        Path out = dir.resolve("checkpoint_final.pth");
        ckpt.write(out);

        byte[] original = PickleOps.dataPkl(Fixtures.checkpoint());
        byte[] ours = PickleOps.dataPkl(out);
        assertThat(PickleOps.globals(ours)).containsExactlyInAnyOrderElementsOf(PickleOps.globals(original));
        assertThat(PickleOps.globals(ours)).containsExactlyInAnyOrder("collections OrderedDict",
                "torch._utils _rebuild_tensor_v2", "torch FloatStorage", "numpy.core.multiarray scalar", "numpy dtype",
                "_codecs encode", "torch device");
        // opcode for opcode the same pickle as torch.save's, up to memo indices
        assertSameOps(PickleOps.structure(original), PickleOps.structure(ours));
        assertThat(java.util.Arrays.mismatch(original, ours)).as("first differing byte of data.pkl").isEqualTo(-1);

        Map<?, ?> root = (Map<?, ?>) TorchSerialization.load(out);
        assertThat(new ArrayList<Object>(root.keySet())).containsExactlyElementsOf(NnUNetCheckpoint.TOP_LEVEL_KEYS);
        assertThat(root.get("network_weights")).isInstanceOf(PyOrderedDict.class);
        assertThat(new ArrayList<Object>(((Map<?, ?>) root.get("network_weights")).keySet()))
                .containsExactlyElementsOf(Fixtures.keyLines("state_dict_keys.txt").stream().map(Fixtures.KeyLine::name).toList());
        assertThat(root.get("_best_ema")).isEqualTo(NumpyScalar.float64(0.47149914959099376));
        assertThat(root.get("inference_allowed_mirroring_axes")).isEqualTo(new Object[] {0, 1, 2});
        assertThat(((Map<?, ?>) root.get("init_args")).get("device")).isEqualTo(TorchDevice.cpu());
        Map<?, ?> logging = (Map<?, ?>) root.get("logging");
        assertThat(((List<?>) logging.get("train_losses")).get(0)).isEqualTo(NumpyScalar.float32(0.32653525471687317f));
        assertThat(((List<?>) logging.get("lrs")).get(0)).isEqualTo(0.01);
    }

    private static void assertSameOps(List<String> expected, List<String> actual) {
        int n = Math.min(expected.size(), actual.size());
        for (int i = 0; i < n; i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                throw new AssertionError("pickle opcode " + i + " differs: torch.save wrote "
                        + expected.subList(Math.max(0, i - 8), Math.min(expected.size(), i + 8)) + ", we wrote "
                        + actual.subList(Math.max(0, i - 8), Math.min(actual.size(), i + 8)));
            }
        }
        assertThat(actual).as("opcode count").hasSameSizeAs(expected);
    }

    @Test
    void storagesAreSharedLikeTorchAndRecordsAligned() throws Exception {
        Path out = dir.resolve("checkpoint_final.pth");
        NnUNetCheckpoint.read(Fixtures.checkpoint()).write(out);
        try (ZipFile z = new ZipFile(out.toFile()); ZipFile ref = new ZipFile(Fixtures.checkpoint().toFile())) {
            List<String> names = z.stream().map(ZipEntry::getName).toList();
            List<String> refNames = ref.stream().map(ZipEntry::getName).toList();
            // torch 1.13 wrote no byteorder record; torch >= 2.1 does, and older readers ignore it
            assertThat(names.stream().filter(n -> !n.endsWith("/byteorder")).toList()).containsExactlyElementsOf(refNames);
            assertThat(names).hasSize(68 + 66 + 3);
            byte[] raw = Files.readAllBytes(out);
            ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            for (ZipEntry e : z.stream().toList()) {
                assertThat(e.getMethod()).isEqualTo(ZipEntry.STORED);
                byte[] data = z.getInputStream(e).readAllBytes();
                byte[] refData = ref.getEntry(e.getName()) == null ? null : ref.getInputStream(ref.getEntry(e.getName())).readAllBytes();
                if (e.getName().contains("/data/")) {
                    assertThat(data).as(e.getName()).isEqualTo(refData);
                }
                int at = indexOf(raw, data, e);
                assertThat(at % 64).as("alignment of " + e.getName()).isZero();
            }
            assertThat(b.getInt(0)).isEqualTo(0x04034b50);
        }
    }

    /** Offset of an entry's data: parse its local header (the central directory gives the header offset). */
    private static int indexOf(byte[] raw, byte[] data, ZipEntry e) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        for (int off = 0; off + 30 <= raw.length; ) {
            if (b.getInt(off) != 0x04034b50) {
                break;
            }
            int size = b.getInt(off + 18);
            int n = b.getShort(off + 26) & 0xffff;
            int x = b.getShort(off + 28) & 0xffff;
            String name = new String(raw, off + 30, n, java.nio.charset.StandardCharsets.UTF_8);
            int dataAt = off + 30 + n + x;
            if (name.equals(e.getName())) {
                assertThat(java.util.Arrays.copyOfRange(raw, dataAt, dataAt + size)).isEqualTo(data);
                return dataAt;
            }
            off = dataAt + size;
        }
        throw new AssertionError("no local header for " + e.getName());
    }

    @Test
    void importExportImportIsBitIdenticalAndDeterministic() throws Exception {
        NnUNetCheckpoint first = NnUNetCheckpoint.read(Fixtures.checkpoint());
        Path a = Files.createDirectories(dir.resolve("a")).resolve("checkpoint_final.pth");
        Path b = Files.createDirectories(dir.resolve("b")).resolve("checkpoint_final.pth");
        first.write(a);
        NnUNetCheckpoint second = NnUNetCheckpoint.read(a);
        second.write(b);
        assertThat(java.util.Arrays.equals(Files.readAllBytes(b), Files.readAllBytes(a))).as("export bytes equal").isTrue();
        assertDeepEqual(TorchSerialization.load(Fixtures.checkpoint()), TorchSerialization.load(b), "root");
        second.write(b); // overwrite in place: atomic replace, no temporary file left behind
        try (Stream<Path> files = Files.list(b.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("checkpoint_final.pth");
        }
    }

    @Test
    void checkpointBuiltFromCanonicalWeightsEqualsNnUNetsOwn() throws Exception {
        NnUNetCheckpoint original = NnUNetCheckpoint.read(Fixtures.checkpoint());
        Map<String, NdArray> initial = Npz.read(Fixtures.file("initial.npz"));
        Map<String, NdArray> canonicalInOrder = new java.util.LinkedHashMap<>();
        Fixtures.paramLines().forEach(p -> canonicalInOrder.put(p.name(), initial.get(p.name())));

        NnUNetCheckpoint built = new NnUNetCheckpoint()
                .setCanonicalWeights(canonicalInOrder)
                .setOptimizerState(OptimizerState.sgd(original.optimizerState().momentumBuffers(),
                        List.of(ParamGroup.sgd(0.01, 0.99, 3e-5, true, 0.01, range(68)))))
                .setLogging(rebuiltLog(original.logging()))
                .setBestEma(original.bestEma())
                .setCurrentEpoch(1)
                .setInitArgs(NnUNetCheckpoint.initArgs(original.plansJson(), "3d_fullres", 0,
                        PyValues.toJson(original.datasetJson()), TorchDevice.cpu()))
                .setTrainerName("nnUNetTrainer")
                .setInferenceAllowedMirroringAxes(List.of(0, 1, 2));
        Path out = dir.resolve("checkpoint_final.pth");
        built.write(out);
        assertThat(PickleOps.globals(PickleOps.dataPkl(out)))
                .containsExactlyInAnyOrderElementsOf(PickleOps.globals(PickleOps.dataPkl(Fixtures.checkpoint())));
        // equal as Python values (identity of the shared _best_ema object aside)
        assertDeepEqual(TorchSerialization.load(Fixtures.checkpoint()), TorchSerialization.load(out), "root");
    }

    private static TrainingLog rebuiltLog(TrainingLog log) {
        TrainingLog t = TrainingLog.empty();
        t.addEpoch(log.series(TrainingLog.MEAN_FG_DICE).get(0), log.series(TrainingLog.EMA_FG_DICE).get(0),
                log.dicePerClassOrRegion().get(0).stream().mapToDouble(Double::doubleValue).toArray(),
                log.series(TrainingLog.TRAIN_LOSSES).get(0).floatValue(), log.series(TrainingLog.VAL_LOSSES).get(0).floatValue(),
                log.series(TrainingLog.LRS).get(0), log.series(TrainingLog.EPOCH_START_TIMESTAMPS).get(0),
                log.series(TrainingLog.EPOCH_END_TIMESTAMPS).get(0));
        return t;
    }

    private static List<Integer> range(int n) {
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(i);
        }
        return l;
    }

    /** Python-value equality including types: dict vs OrderedDict, tuple vs list, int vs float, numpy dtype. */
    static void assertDeepEqual(Object a, Object b, String path) {
        if (a == null || b == null) {
            assertThat(b).as(path).isEqualTo(a);
            return;
        }
        assertThat(b.getClass()).as(path + " type").isEqualTo(a.getClass());
        if (a instanceof PyOrderedDict da) {
            PyOrderedDict db = (PyOrderedDict) b;
            if (da.metadata() != null || db.metadata() != null) {
                assertDeepEqual(da.metadata(), db.metadata(), path + "._metadata");
            }
        }
        if (a instanceof Map<?, ?> ma) {
            Map<?, ?> mb = (Map<?, ?>) b;
            assertThat(new ArrayList<Object>(mb.keySet())).as(path + " keys").containsExactlyElementsOf(ma.keySet());
            ma.forEach((k, v) -> assertDeepEqual(v, mb.get(k), path + "[" + k + "]"));
        } else if (a instanceof List<?> la) {
            List<?> lb = (List<?>) b;
            assertThat(lb).as(path + " length").hasSameSizeAs(la);
            for (int i = 0; i < la.size(); i++) {
                assertDeepEqual(la.get(i), lb.get(i), path + "[" + i + "]");
            }
        } else if (a instanceof Object[] ta) {
            Object[] tb = (Object[]) b;
            assertThat(tb).as(path + " length").hasSameSizeAs(ta);
            for (int i = 0; i < ta.length; i++) {
                assertDeepEqual(ta[i], tb[i], path + "[" + i + "]");
            }
        } else if (a instanceof NdArray ta) {
            NdArray tb = (NdArray) b;
            assertThat(tb.dtype()).as(path).isEqualTo(ta.dtype());
            assertThat(tb.shape()).as(path).isEqualTo(ta.shape());
            assertThat(tb.data()).as(path).isEqualTo(ta.data());
        } else {
            assertThat(b).as(path).isEqualTo(a);
        }
    }

    @Test
    void sharedTensorsStaySharedAfterReimport() throws Exception {
        Path out = dir.resolve("x.pth");
        NnUNetCheckpoint.read(Fixtures.checkpoint()).write(out);
        Map<String, NdArray> w = NnUNetCheckpoint.read(out).networkWeights();
        IdentityHashMap<NdArray, Boolean> distinct = new IdentityHashMap<>();
        w.values().forEach(t -> distinct.put(t, true));
        assertThat(distinct).hasSize(68);
    }
}
