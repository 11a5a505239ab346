package io.nnft.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.nnft.imageio.NdArray;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tensors rebuilt from storages: offsets, non-contiguous strides (copied to C order), shared storages. */
class TensorStorageTest {
    @TempDir
    Path dir;

    @Test
    void stridesOffsetsAndSharedStoragesAreHonoured() throws Exception {
        // storage 0 = [0..7]; a: [2,3] contiguous at offset 1; t: transpose of the first 6 ([3,2] stride (1,3));
        // s: every other element (stride 2); a2: same view as a → same object
        byte[] p = new PickleBuilder().op(']', '(')
                .tensor("0", 8, 1, new long[] {2, 3}, new long[] {3, 1})
                .tensor("0", 8, 0, new long[] {3, 2}, new long[] {1, 3})
                .tensor("0", 8, 1, new long[] {4}, new long[] {2})
                .tensor("0", 8, 1, new long[] {2, 3}, new long[] {3, 1})
                .tensor("0", 8, 7, new long[] {1, 1}, new long[] {5, 9})
                .op('e').stop();
        Path f = PickleBuilder.zip(dir.resolve("views.pth"), p, Map.of("0", PickleBuilder.floats(0, 1, 2, 3, 4, 5, 6, 7)));
        List<?> l = (List<?>) TorchSerialization.load(f);
        NdArray a = (NdArray) l.get(0);
        NdArray t = (NdArray) l.get(1);
        NdArray s = (NdArray) l.get(2);
        assertThat(a.toFloats()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(t.shape()).containsExactly(3, 2);
        assertThat(t.toFloats()).containsExactly(0, 3, 1, 4, 2, 5);
        assertThat(s.toFloats()).containsExactly(1, 3, 5, 7);
        assertThat(l.get(3)).isSameAs(a);
        assertThat(((NdArray) l.get(4)).toFloats()).containsExactly(7);
    }
}
