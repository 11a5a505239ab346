package io.nnft.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.nnft.checkpoint.pickle.NumpyScalar;
import io.nnft.checkpoint.pickle.TorchDevice;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Allowed non-tensor values: numpy 1 and numpy 2 scalar names, torch.device forms. */
class PickleValuesTest {
    @TempDir
    Path dir;

    private static PickleBuilder scalar(PickleBuilder b, String module, String code, byte[] le) {
        b.global(module, "scalar");
        b.global("numpy", "dtype").str(code).op(0x89, 0x88, 0x87, 'R');
        b.op('(').integer(3).str("<").op('N', 'N', 'N').integer(-1).integer(-1).integer(0).op('t', 'b');
        b.global("_codecs", "encode").str(new String(le, StandardCharsets.ISO_8859_1)).str("latin1").op(0x86, 'R');
        return b.op(0x86, 'R');
    }

    @Test
    void numpyScalarsOfNumpy1And2AndDevicesAreRebuilt() throws Exception {
        PickleBuilder b = new PickleBuilder().op(']', '(');
        scalar(b, "numpy.core.multiarray", "f8", NumpyScalar.float64(0.25).bytes());
        scalar(b, "numpy._core.multiarray", "f4", NumpyScalar.float32(-1.5f).bytes());
        b.global("torch", "device").str("cuda").integer(1).op(0x86, 'R');
        b.global("torch", "device").str("cuda:0").op(0x85, 'R');
        Path f = PickleBuilder.zip(dir.resolve("v.pth"), b.op('e').stop(), Map.of());
        @SuppressWarnings("unchecked")
        List<Object> l = (List<Object>) TorchSerialization.load(f);
        assertThat(l).containsExactly(NumpyScalar.float64(0.25), NumpyScalar.float32(-1.5f),
                new TorchDevice("cuda", 1), new TorchDevice("cuda", 0));
    }

    @Test
    void valuesSurviveAWriteReadCycle() throws Exception {
        Map<String, Object> root = new java.util.LinkedHashMap<>();
        root.put("big", 1L << 40);
        root.put("neg", -70000);
        root.put("tuple", new Object[] {1, "a", null, true, 2.5});
        root.put("bytes", new byte[] {0, (byte) 0xff, 10});
        root.put("dev", TorchDevice.cpu());
        root.put("i8", new NumpyScalar(io.nnft.imageio.DType.INT64, new byte[] {5, 0, 0, 0, 0, 0, 0, 0}));
        Path f = dir.resolve("values.pth");
        TorchSerialization.save(f, root);
        NnUNetCheckpointWriteTest.assertDeepEqual(root, TorchSerialization.load(f), "root");
    }
}
