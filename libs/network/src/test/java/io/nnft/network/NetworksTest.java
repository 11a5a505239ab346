package io.nnft.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class NetworksTest {

    /** On a fresh thread grad mode is on; noGrad turns it off for the body (no graph) and restores it. */
    @Test
    void noGradWorksOnWorkerThreads() throws Exception {
        AtomicReference<String> result = new AtomicReference<>();
        try (NDManager m = Networks.engine().newBaseManager()) {
            PlainConvUNet net = Networks.create(Fixtures.tinyConfig(false), m);
            Thread worker = new Thread(() -> {
                boolean before = JniUtils.isGradMode();
                NDArray out = Networks.noGrad(() -> net.forward(new UsageTrackingParameterStore(m),
                        new NDList(m.ones(new Shape(1, 1, 16, 16, 16))), false).singletonOrThrow());
                result.set(before + " " + JniUtils.requiresGrad((ai.djl.pytorch.engine.PtNDArray) out) + " "
                        + JniUtils.isGradMode());
            });
            worker.start();
            worker.join();
        }
        assertThat(result.get()).isEqualTo("true false true");
    }
}
