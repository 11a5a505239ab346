package io.nnft.trainer.worker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeviceSelectionTest {
    @Test
    void aVisibleGpuIsUsedWhetherOrNotOneIsRequired() {
        DeviceSelection d = DeviceSelection.decide(1, "gpu(0)", "PyTorch 2.7.1", true);
        assertThat(d.refused()).isFalse();
        assertThat(d.device()).isEqualTo("gpu(0)");
        assertThat(DeviceSelection.decide(2, "gpu(0)", "PyTorch 2.7.1", false).refused()).isFalse();
    }

    @Test
    void theCpuIsAcceptedUnlessAGpuIsRequired() {
        DeviceSelection d = DeviceSelection.decide(0, "cpu()", "PyTorch 2.7.1", false);
        assertThat(d.refused()).isFalse();
        assertThat(d.device()).isEqualTo("cpu()");
    }

    @Test
    void aRequiredGpuThatDjlDoesNotSeeRefusesNamingTheDevice() {
        DeviceSelection d = DeviceSelection.decide(0, "cpu()", "PyTorch 2.7.1", true);
        assertThat(d.refused()).isTrue();
        assertThat(d.refusal()).contains("cpu()").contains("PyTorch 2.7.1").contains("GPUs visible: 0")
                .contains("PYTORCH_FLAVOR");
    }

    @Test
    void gpusCountedButCpuChosenIsStillRefused() {
        // DJL reporting GPUs while defaulting to the CPU (a CPU libtorch on a GPU node) must not pass.
        assertThat(DeviceSelection.decide(1, "cpu()", "PyTorch 2.7.1", true).refused()).isTrue();
    }
}
