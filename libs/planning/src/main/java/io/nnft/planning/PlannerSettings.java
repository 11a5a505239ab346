package io.nnft.planning;

/**
 * The knobs of nnU-Net's ExperimentPlanner constructor; {@link #defaults()} are nnU-Net's defaults.
 *
 * @param plansName              {@code plans_name} and the prefix of every data identifier
 * @param preprocessorName       written into every configuration
 * @param gpuMemoryTargetGb      VRAM budget the reference values are scaled to (8 GB)
 * @param overwriteTargetSpacing fixed 3d_fullres spacing, or null to derive it from the fingerprint
 * @param suppressTranspose      keep the axes in reader order
 */
public record PlannerSettings(String plansName, String preprocessorName, double gpuMemoryTargetGb,
                              double[] overwriteTargetSpacing, boolean suppressTranspose) {

    public static PlannerSettings defaults() {
        return new PlannerSettings("nnUNetPlans", "DefaultPreprocessor", 8, null, false);
    }

    public PlannerSettings withPlansName(String name) {
        return new PlannerSettings(name, preprocessorName, gpuMemoryTargetGb, overwriteTargetSpacing,
                suppressTranspose);
    }
}
