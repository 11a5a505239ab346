package io.nnft.preprocessing.normalization;

import io.nnft.planning.IntensityProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Each scheme against values computed by hand. */
class NormalizationSchemesTest {

    @Test
    void ctClipsToFingerprintPercentilesThenUsesForegroundMeanAndStd() {
        // percentiles 41 / 139, mean 97.66405487060547, std 17.927734375 (the ct fixture's fingerprint)
        IntensityProperties p = new IntensityProperties(97.66405487060547, 99, 17.927734375, 28, 156, 41, 139);
        float[] image = {-1000f, 41f, 100f, 139f, 950f};
        ImageNormalization.of("CTNormalization", false, p).run(image, null);
        double lo = (41 - 97.66405487060547) / 17.927734375;   // -3.160692...
        double hi = (139 - 97.66405487060547) / 17.927734375;  //  2.305698...
        assertThat(image[0]).isCloseTo((float) lo, within(1e-6f));
        assertThat(image[1]).isCloseTo((float) lo, within(1e-6f));
        assertThat(image[2]).isCloseTo((float) ((100 - 97.66405487060547) / 17.927734375), within(1e-6f));
        assertThat(image[3]).isCloseTo((float) hi, within(1e-6f));
        assertThat(image[4]).isCloseTo((float) hi, within(1e-6f));
    }

    @Test
    void ctWithoutIntensityPropertiesIsRefused() {
        assertThatThrownBy(() -> ImageNormalization.of("CTNormalization", false, null))
                .hasMessageContaining("foreground_intensity_properties_per_channel");
    }

    @Test
    void zScoreOverTheWholeImage() {
        // mean 5, population std sqrt(((2-5)^2 + (4-5)^2 + (6-5)^2 + (8-5)^2) / 4) = sqrt(5)
        float[] image = {2, 4, 6, 8};
        ImageNormalization.of("ZScoreNormalization", false, null).run(image, new short[]{-1, 0, 0, -1});
        double s = Math.sqrt(5);
        assertThat(image).containsExactly(new float[]{(float) (-3 / s), (float) (-1 / s), (float) (1 / s), (float) (3 / s)},
                within(1e-6f));
    }

    @Test
    void zScoreWithMaskMeasuresAndChangesOnlyInsideTheMask() {
        // inside (seg >= 0): 4, 6, 10 -> mean 20/3, std sqrt((64/9 + 4/9 + 100/9) / 3) = sqrt(56/9)
        float[] image = {0, 4, 6, 10, 0};
        short[] seg = {-1, 0, 1, 2, -1};
        ImageNormalization.of("ZScoreNormalization", true, null).run(image, seg);
        double mean = 20.0 / 3;
        double std = Math.sqrt(56.0 / 9);
        assertThat(image[0]).isEqualTo(0f);
        assertThat(image[4]).isEqualTo(0f);
        assertThat(image[1]).isCloseTo((float) ((4 - mean) / std), within(1e-6f));
        assertThat(image[2]).isCloseTo((float) ((6 - mean) / std), within(1e-6f));
        assertThat(image[3]).isCloseTo((float) ((10 - mean) / std), within(1e-6f));
    }

    @Test
    void zScoreOfAConstantImageDividesByTheFloorNotZero() {
        float[] image = {3, 3, 3};
        ImageNormalization.of("ZScoreNormalization", false, null).run(image, null);
        assertThat(image).containsExactly(0f, 0f, 0f);
    }

    @Test
    void noNormalizationKeepsValues() {
        float[] image = {-7.5f, 0f, 1234f};
        ImageNormalization.of("NoNormalization", false, null).run(image, null);
        assertThat(image).containsExactly(-7.5f, 0f, 1234f);
    }

    @Test
    void rescaleTo01MapsMinToZeroAndMaxToOne() {
        float[] image = {-10, 0, 30};
        ImageNormalization.of("RescaleTo01Normalization", false, null).run(image, null);
        assertThat(image).containsExactly(0f, 0.25f, 1f);
    }

    @Test
    void rgbTo01DividesBy255AndRefusesNonRgbValues() {
        float[] image = {0, 51, 255};
        ImageNormalization.of("RGBTo01Normalization", false, null).run(image, null);
        assertThat(image).containsExactly(0f, 0.2f, 1f);
        assertThatThrownBy(() -> ImageNormalization.of("RGBTo01Normalization", false, null)
                .run(new float[]{3, 256}, null)).hasMessageContaining("256").hasMessageContaining("[0, 255]");
    }

    @Test
    void unknownSchemeIsNamed() {
        assertThatThrownBy(() -> ImageNormalization.of("FancyNorm", false, null)).hasMessageContaining("'FancyNorm'");
    }
}
