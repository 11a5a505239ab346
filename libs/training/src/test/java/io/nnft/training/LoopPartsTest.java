package io.nnft.training;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Pseudo-Dice, EMA, early stopping, freeze schedules and the log file, without a network. */
class LoopPartsTest {
    @Test
    void pseudoDiceSumsTpFpFnPerForegroundClass() {
        PseudoDice d = new PseudoDice(3);
        // class 1: tp 2, fp 1, fn 1 → 4/6; class 2: tp 0, fp 0, fn 1 → 0; background ignored
        d.add(new int[] {1, 1, 1, 0, 0, 0}, new int[] {1, 1, 0, 1, 2, 0});
        d.add(new int[] {0}, new int[] {0});
        double[] dice = d.perClass();
        assertThat(dice[0]).isCloseTo(4.0 / 6, within(1e-12));
        assertThat(dice[1]).isEqualTo(0.0);
        assertThat(new PseudoDice(3).perClass()[0]).isNaN();
        assertThat(PseudoDice.nanMean(new double[] {Double.NaN, 0.5, 0.7})).isCloseTo(0.6, within(1e-12));
        assertThat(PseudoDice.ema(null, 0.4)).isEqualTo(0.4);
        assertThat(PseudoDice.ema(0.4, 0.9)).isCloseTo(0.45, within(1e-12));
        // no foreground class in any validation patch: the EMA stays, a NaN never stands in for a score
        assertThat(PseudoDice.ema(0.4, Double.NaN)).isEqualTo(0.4);
        assertThat(PseudoDice.ema(Double.NaN, 0.3)).isEqualTo(0.3);
        assertThat(PseudoDice.ema(null, Double.NaN)).isNaN();
    }

    @Test
    void divergenceGuardSkipsTransientsAndStopsAfterTheLimitInARow() {
        DivergenceGuard g = new DivergenceGuard(3);
        assertThat(g.step(0, 0, 0.5f, 1f, true)).isTrue();
        assertThat(g.step(0, 1, Float.NaN, Float.NaN, false)).isFalse();
        assertThat(g.step(0, 2, Float.NaN, Float.NaN, false)).isFalse();
        assertThat(g.step(0, 3, 0.4f, 1f, true)).isTrue(); // resets the run of skipped steps
        assertThat(g.step(1, 0, 0.4f, Float.POSITIVE_INFINITY, false)).isFalse();
        assertThat(g.step(1, 1, 0.4f, Float.POSITIVE_INFINITY, false)).isFalse();
        assertThatThrownBy(() -> g.step(1, 2, 0.4f, Float.POSITIVE_INFINITY, false))
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessage("training diverged at epoch 1, iteration 2: grad norm Infinity");
        assertThat(g.skippedSteps()).isEqualTo(5);
        assertThatThrownBy(() -> new DivergenceGuard(1).step(4, 7, Float.NaN, Float.NaN, false))
                .hasMessage("training diverged at epoch 4, iteration 7: loss NaN");
        assertThatThrownBy(() -> DivergenceGuard.checkEpoch(2, 249, "validation loss", Double.NaN))
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessage("training diverged at epoch 2, iteration 249: validation loss NaN");
        DivergenceGuard.checkEpoch(2, 249, "validation loss", 0.7);
        assertThatThrownBy(() -> new DivergenceGuard(0)).hasMessageContaining("max skipped steps: expected >= 1, found 0");
    }

    @Test
    void earlyStoppingCountsEpochsWithoutImprovementBeyondMinDelta() {
        EarlyStopping e = new EarlyStopping(2, 0.01);
        assertThat(e.update(0.5)).isFalse();
        assertThat(e.update(0.505)).isFalse(); // +0.005 < min delta
        assertThat(e.update(0.52)).isFalse(); // +0.02 counts, resets
        assertThat(e.update(0.521)).isFalse();
        assertThat(e.update(0.5)).isTrue();
        assertThatThrownBy(() -> new EarlyStopping(0, 0)).hasMessageContaining("patience >= 1");
    }

    @Test
    void freezeScheduleFileAndLrFactorWithWarmup(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("schedule.json");
        Files.writeString(f, "[{\"epoch\": 10, \"unfreezePrefixes\": [\"\"], \"lrFactor\": 0.1, \"warmupEpochs\": 3},"
                + " {\"epoch\": 5, \"unfreezePrefixes\": [\"decoder.\"], \"lrFactor\": 0.5}]");
        FreezeSettings s = new FreezeSettings("encoder", true, FreezeSettings.readSchedule(f));
        assertThat(s.schedule()).extracting(UnfreezeStep::epoch).containsExactly(5, 10);
        assertThat(s.lrFactor(4)).isEqualTo(1.0);
        assertThat(s.lrFactor(5)).isEqualTo(0.5);
        assertThat(s.lrFactor(10)).isCloseTo(0.1 * 1 / 4, within(1e-12));
        assertThat(s.lrFactor(12)).isCloseTo(0.1 * 3 / 4, within(1e-12));
        assertThat(s.lrFactor(13)).isCloseTo(0.1, within(1e-12));
        Files.writeString(f, "[{\"epoch\": 1, \"unfreezePrefixes\": [\"\"], \"lrfactor\": 2}]");
        assertThatThrownBy(() -> FreezeSettings.readSchedule(f)).hasMessageContaining("unknown field 'lrfactor'")
                .hasMessageContaining("[0]");
        Files.writeString(f, "{\"schedule\": [{\"epoch\": -1, \"unfreezePrefixes\": [\"\"]}]}");
        assertThatThrownBy(() -> FreezeSettings.readSchedule(f)).hasMessageContaining("epoch >= 0");
    }

    @Test
    void trainingLogRoundTripsIncludingNaN() {
        EpochRecord r = new EpochRecord(3, 0.5, 0.4, new double[] {0.7, Double.NaN}, 0.7, 0.65, 0.009, 100, 112.5, 0.25, 68);
        String json = TrainingLogFile.toJson(TrainingLogFile.header(List.of("sphere", "cube")), List.of(r), "completed");
        assertThat(json).contains("\"stop_reason\" : \"completed\"").contains("\"epoch_time_s\" : 12.5");
        EpochRecord back = TrainingLogFile.parse(json, "x", EpochRecord::read).get(0);
        assertThat(back.pseudoDice()[1]).isNaN();
        assertThat(back.emaPseudoDice()).isEqualTo(0.65);
        assertThat(back.trainableTensors()).isEqualTo(68);
        assertThatThrownBy(() -> TrainingLogFile.parse("{\"epochs\": [{}]}", "ckpt", EpochRecord::read)).hasMessageContaining("ckpt");
    }
}
