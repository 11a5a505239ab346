package io.nnft.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile or broken .pth files are refused with messages naming what was found; nothing is instantiated. */
class HostileCheckpointTest {
    @TempDir
    Path dir;

    private Path pth(byte[] pickle, Map<String, byte[]> storages) throws IOException {
        return PickleBuilder.zip(dir.resolve("evil.pth"), pickle, storages);
    }

    @Test
    void osSystemViaReduceIsRefusedByName() throws Exception {
        Path marker = dir.resolve("pwned");
        byte[] p = new PickleBuilder().global("os", "system").str("touch " + marker).op(0x85, 'R').stop();
        assertThatThrownBy(() -> NnUNetCheckpoint.read(pth(p, Map.of())))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("'os.system' is not on the allow-list")
                .hasMessageContaining("evil.pth");
        assertThat(marker).doesNotExist();
    }

    @Test
    void unknownGlobalsAreRefusedByName() throws Exception {
        for (String[] g : new String[][] {{"builtins", "eval"}, {"__builtin__", "getattr"}, {"subprocess", "Popen"},
                {"numpy.core.multiarray", "_reconstruct"}, {"torch", "load"}, {"collections", "defaultdict"}}) {
            byte[] p = new PickleBuilder().global(g[0], g[1]).op(')', 'R').stop();
            assertThatThrownBy(() -> TorchSerialization.load(pth(p, Map.of())))
                    .hasMessageContaining("'" + g[0] + "." + g[1] + "' is not on the allow-list");
        }
    }

    @Test
    void stackGlobalAndClassConstructionOpcodesAreRefused() throws Exception {
        byte[] stackGlobal = new PickleBuilder().str("os").str("system").op(0x93).stop();
        assertThatThrownBy(() -> TorchSerialization.load(pth(stackGlobal, Map.of())))
                .hasMessageContaining("'os.system' is not on the allow-list");
        byte[] inst = new PickleBuilder().op('(').op('i').op("os\nsystem\n".getBytes()[0]).stop();
        assertThatThrownBy(() -> TorchSerialization.load(pth(inst, Map.of())))
                .hasMessageContaining("opcode 0x69").hasMessageContaining("not allowed");
        byte[] ext = new PickleBuilder().op(0x82, 1).stop();
        assertThatThrownBy(() -> TorchSerialization.load(pth(ext, Map.of()))).hasMessageContaining("opcode 0x82");
    }

    @Test
    void buildOnAPlainObjectAndReduceOnANonCallableAreRefused() throws Exception {
        byte[] build = new PickleBuilder().op('}').op('}').op('b').stop();
        assertThatThrownBy(() -> TorchSerialization.load(pth(build, Map.of()))).hasMessageContaining("BUILD");
        byte[] reduce = new PickleBuilder().str("os.system").op(')', 'R').stop();
        assertThatThrownBy(() -> TorchSerialization.load(pth(reduce, Map.of())))
                .hasMessageContaining("REDUCE calls String");
    }

    @Test
    void truncatedZipIsRefused() throws Exception {
        byte[] full = Files.readAllBytes(Fixtures.checkpoint());
        Path cut = Files.write(dir.resolve("checkpoint_final.pth"), Arrays.copyOf(full, full.length / 2));
        assertThatThrownBy(() -> NnUNetCheckpoint.read(cut))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("checkpoint_final.pth")
                .hasMessageContaining("truncated");
    }

    @Test
    void notAZipAndMissingFileAreRefused() throws Exception {
        Path legacy = Files.write(dir.resolve("legacy.pth"), new PickleBuilder().op('N').stop());
        assertThatThrownBy(() -> NnUNetCheckpoint.read(legacy)).hasMessageContaining("legacy pre-1.6 torch.save format");
        assertThatThrownBy(() -> NnUNetCheckpoint.read(dir.resolve("nope.pth"))).hasMessageContaining("does not exist");
    }

    @Test
    void storageWhoseSizeDisagreesWithTheTensorIsRefused() throws Exception {
        byte[] p = new PickleBuilder().tensor("0", 6, 0, new long[] {2, 3}, new long[] {3, 1}).stop();
        assertThatThrownBy(() -> TorchSerialization.load(pth(p, Map.of("0", PickleBuilder.floats(1, 2, 3, 4)))))
                .hasMessageContaining("'data/0' has 16 bytes but the pickle declares 6 FLOAT32 elements (24 bytes)");
    }

    @Test
    void tensorReachingBeyondItsStorageIsRefused() throws Exception {
        byte[] p = new PickleBuilder().tensor("0", 4, 1, new long[] {2, 2}, new long[] {2, 1}).stop();
        assertThatThrownBy(() -> TorchSerialization.load(pth(p, Map.of("0", PickleBuilder.floats(1, 2, 3, 4)))))
                .hasMessageContaining("reaches element 4 but storage '0' holds 4 elements");
    }

    @Test
    void missingStorageRecordIsRefused() throws Exception {
        byte[] p = new PickleBuilder().tensor("7", 4, 0, new long[] {4}, new long[] {1}).stop();
        assertThatThrownBy(() -> TorchSerialization.load(pth(p, Map.of())))
                .hasMessageContaining("storage record 'archive/data/7' is missing");
    }

    @Test
    void hugeLengthPrefixIsRefusedBeforeAllocating() throws Exception {
        byte[] p = new PickleBuilder().op('X', 0xff, 0xff, 0xff, 0x7f).stop();
        assertThatThrownBy(() -> TorchSerialization.load(pth(p, Map.of())))
                .hasMessageContaining("truncated pickle: a string/bytes of 2147483647 bytes");
    }

    @Test
    void unsupportedTensorTypeIsRefusedByName() throws Exception {
        byte[] p = new PickleBuilder().global("torch", "BFloat16Storage").stop();
        assertThatThrownBy(() -> TorchSerialization.load(pth(p, Map.of())))
                .hasMessageContaining("bfloat16 (torch.BFloat16Storage) are not supported");
    }

    @Test
    void checkpointWithoutNetworkWeightsNamesTheMissingKey() throws Exception {
        byte[] p = new PickleBuilder().op('}').str("trainer_name").str("x").op('s').stop();
        assertThatThrownBy(() -> NnUNetCheckpoint.read(pth(p, Map.of())))
                .hasMessageContaining("checkpoint has no 'network_weights'");
    }

    /** Malformed pickles found by CheckpointFuzzTest: each used to escape as a RuntimeException or Error. */
    @Test
    void malformedOpcodeArgumentsAreRefusedAsMalformedPickles() throws Exception {
        byte[] notANumber = new PickleBuilder().op('I', 'a', 'b', 'c', '\n').stop();
        assertThatThrownBy(() -> TorchSerialization.load(pth(notANumber, Map.of()))).isInstanceOf(IOException.class)
                .hasMessageContaining("malformed pickle").hasMessageContaining("NumberFormatException");
        byte[] appendToNone = new PickleBuilder().op('N', 'N', 'a').stop();
        assertThatThrownBy(() -> TorchSerialization.load(pth(appendToNone, Map.of()))).isInstanceOf(IOException.class)
                .hasMessageContaining("malformed pickle").hasMessageContaining("NullPointerException");
        byte[] lengthAtEnd = new PickleBuilder().op('U').stop();
        assertThatThrownBy(() -> TorchSerialization.load(pth(java.util.Arrays.copyOf(lengthAtEnd, 3), Map.of())))
                .isInstanceOf(IOException.class).hasMessageContaining("malformed pickle");
    }

    @Test
    void hugeLong4IsRefusedBeforeAllocating() throws Exception {
        byte[] p = new PickleBuilder().op(0x8b, 0xff, 0xff, 0xff, 0x7f).stop();
        assertThatThrownBy(() -> TorchSerialization.load(pth(p, Map.of())))
                .hasMessageContaining("truncated pickle: a string/bytes of 2147483647 bytes");
    }

    @Test
    void selfContainingListAsDictKeyIsUnhashableNotAStackOverflow() throws Exception {
        // {l: None} where l = [l]: Java would hash the list by content, forever
        byte[] p = new PickleBuilder().op('}', ']', 'q', 0, 'h', 0, 'a', 'N', 's').stop();
        assertThatThrownBy(() -> TorchSerialization.load(pth(p, Map.of()))).isInstanceOf(IOException.class)
                .hasMessageContaining("dict key of type ArrayList is unhashable");
        byte[] set = new PickleBuilder().op(0x8f, '(', 'N', 0x90).stop();
        assertThatThrownBy(() -> TorchSerialization.load(pth(set, Map.of())))
                .hasMessageContaining("opcode 0x90 (set) is not allowed");
    }
}
