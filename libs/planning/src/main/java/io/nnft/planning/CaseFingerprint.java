package io.nnft.planning;

import io.nnft.pycompat.LegacyRandomState;

import java.util.List;

/**
 * What {@code analyze_case} keeps of one case: shape after cropping to nonzero, spacing, relative size
 * after cropping, the foreground values per channel, and the sampler state at the start of each
 * channel (channels draw one after another from the same seeded generator).
 */
public record CaseFingerprint(String id, int[] shapeAfterCrop, double[] spacing, double relativeSizeAfterCropping,
                              List<ForegroundValues> foreground, List<LegacyRandomState> samplerAtChannel) {
}
