package io.nnft.checkpoint;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.nnft.checkpoint.pickle.AllowListUnpickler;
import io.nnft.checkpoint.pickle.PickleRefusedException;
import io.nnft.checkpoint.pickle.PyOrderedDict;
import io.nnft.checkpoint.pickle.StorageSource;
import io.nnft.imageio.FuzzFiles;
import io.nnft.imageio.NdArray;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Fuzzes the readers of pretrained weights a user hands us: the {@code torch.save} zip ({@link
 * NnUNetCheckpoint#read}, which also runs the pickle), the pickle alone against two fixed storage records
 * (hostile pickles: the opcodes are where the bugs hide, and a zip around them slows the fuzzer down), and
 * {@link SafeTensors#read}. Contract: a value, an IOException, or (pickle alone) the
 * {@link PickleRefusedException} that TorchZipReader turns into one; anything else is a finding.
 */
class CheckpointFuzzTest {
    private static final Path PTH = FuzzFiles.scratch("checkpoint_final.pth");
    private static final Path SAFETENSORS = FuzzFiles.scratch("weights.safetensors");
    /** Storages '0' (4 float32) and '1' (2 int64) the fuzzed pickles may reference. */
    private static final StorageSource STORAGES = key -> switch (key) {
        case "0" -> ByteBuffer.wrap(PickleBuilder.floats(1, 2, 3, 4));
        case "1" -> ByteBuffer.wrap(new byte[16]);
        default -> throw new IOException("storage record 'data/" + key + "' is missing");
    };

    @FuzzTest(maxDuration = "5m")
    void readPth(byte[] input) {
        FuzzFiles.write(PTH, input);
        try {
            NnUNetCheckpoint.read(PTH).networkWeights().size();
        } catch (IOException expected) {
            // refused with a message naming the file
        }
    }

    @FuzzTest(maxDuration = "5m")
    void unpickle(byte[] input) {
        Object root;
        try {
            root = new AllowListUnpickler(STORAGES, "fuzz.pth!archive/data.pkl").load(input);
        } catch (IOException | PickleRefusedException expected) {
            return;
        }
        try {
            NnUNetCheckpoint.fromPickle(root, "fuzz.pth");
        } catch (IllegalArgumentException expected) {
            // NnUNetCheckpoint.read turns this into an IOException naming the file
        }
    }

    @FuzzTest(maxDuration = "5m")
    void readSafetensors(byte[] input) {
        FuzzFiles.write(SAFETENSORS, input);
        try {
            SafeTensors.read(SAFETENSORS).tensors().size();
        } catch (IOException expected) {
            // refused with a message naming the file
        }
    }

    /** Regenerates the seeds: {@code -Dnnft.fuzz.writeSeeds=true -Dtest=CheckpointFuzzTest#writeSeeds}. */
    @Test
    @EnabledIfSystemProperty(named = "nnft.fuzz.writeSeeds", matches = "true")
    void writeSeeds() throws IOException {
        Path pth = FuzzFiles.seedDir(Path.of(""), CheckpointFuzzTest.class, "readPth");
        Path pkl = FuzzFiles.seedDir(Path.of(""), CheckpointFuzzTest.class, "unpickle");
        Path st = FuzzFiles.seedDir(Path.of(""), CheckpointFuzzTest.class, "readSafetensors");
        for (Path d : new Path[] {pth, pkl, st}) {
            Files.createDirectories(d);
        }
        LinkedHashMap<String, NdArray> weights = new LinkedHashMap<>();
        weights.put("conv.weight", NdArray.ofFloats(new long[] {2, 2}, new float[] {1, 2, 3, 4}));
        weights.put("conv.bias", NdArray.ofFloats(new long[] {2}, new float[] {.5f, -.5f}));
        StateDictFile.write(pth.resolve("state_dict.pth"), weights);
        Map<String, Object> ckpt = new LinkedHashMap<>();
        ckpt.put("network_weights", new PyOrderedDict(weights));
        ckpt.put("optimizer_state", null);
        ckpt.put("init_args", new LinkedHashMap<>(Map.of("configuration", "3d_fullres", "fold", 0)));
        ckpt.put("trainer_name", "nnUNetTrainer");
        ckpt.put("current_epoch", 3L);
        TorchSerialization.save(pth.resolve("checkpoint_final.pth"), ckpt);
        for (String name : new String[] {"state_dict.pth", "checkpoint_final.pth"}) {
            try (ZipFile zip = new ZipFile(pth.resolve(name).toFile())) {
                var pickle = zip.stream().filter(e -> e.getName().endsWith("/data.pkl")).findFirst().orElseThrow();
                try (InputStream in = zip.getInputStream(pickle)) {
                    Files.write(pkl.resolve(name.replace(".pth", ".pkl")), in.readAllBytes());
                }
            }
        }
        // hostile: os.system through REDUCE, a transposed view of storage '0', a storage of the wrong size
        Files.write(pkl.resolve("os_system.pkl"),
                new PickleBuilder().global("os", "system").str("touch pwned").op(0x85, 'R').stop());
        Files.write(pkl.resolve("transposed_view.pkl"),
                new PickleBuilder().tensor("0", 4, 0, new long[] {2, 2}, new long[] {1, 2}).stop());
        Files.write(pkl.resolve("storage_size_mismatch.pkl"),
                new PickleBuilder().tensor("1", 4, 0, new long[] {4}, new long[] {1}).stop());
        SafeTensors.write(st.resolve("two_tensors.safetensors"), weights, Map.of("format", "pt"));
        SafeTensors.write(st.resolve("empty.safetensors"), Map.of(), Map.of());
    }
}
