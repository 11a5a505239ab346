package io.nnft.trainer.worker;

/**
 * Which device a worker trains on, decided from what DJL reports. DJL picks {@code gpu(0)} when its PyTorch
 * engine sees a GPU and silently falls back to {@code cpu()} when the libtorch flavour does not match the
 * node (e.g. a CPU build, or a CUDA build without a driver): a job configured to require a GPU must then be
 * refused rather than run for days on the CPU.
 *
 * @param device  the device as DJL names it, e.g. {@code gpu(0)} or {@code cpu()}
 * @param refusal why training must not start, or null
 */
public record DeviceSelection(String device, int gpuCount, String refusal) {

    /**
     * @param gpuCount      {@code Engine.getGpuCount()}
     * @param defaultDevice {@code Engine.defaultDevice().toString()}
     * @param engine        engine name and version, for the message
     */
    public static DeviceSelection decide(int gpuCount, String defaultDevice, String engine, boolean requireGpu) {
        boolean onGpu = gpuCount > 0 && defaultDevice != null && defaultDevice.startsWith("gpu");
        if (requireGpu && !onGpu) {
            return new DeviceSelection(defaultDevice, gpuCount, "a GPU is required (nnft.trainer.require-gpu=true) but "
                    + engine + " would train on " + defaultDevice + " (GPUs visible: " + gpuCount + "); check that the "
                    + "libtorch flavour matches the node (PYTORCH_LIBRARY_PATH, PYTORCH_VERSION, PYTORCH_FLAVOR) and "
                    + "that the NVIDIA driver is visible in the container");
        }
        return new DeviceSelection(defaultDevice, gpuCount, null);
    }

    public boolean refused() {
        return refusal != null;
    }
}
