package io.nnft.cli.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** What the watcher prints of a job's events: each task's own headline metric. */
class JobWatcherTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void aClassifierReportsItsMonitoredMetricASegmentationItsEma() throws Exception {
        assertThat(JobWatcher.best(MAPPER.readTree("{\"bestEmaPseudoDice\": 0.5, \"bestMetric\": "
                + "{\"name\": \"balanced_accuracy\", \"value\": 0.91666, \"epoch\": 7}}")))
                .isEqualTo(", best balanced_accuracy 0.9167 at epoch 7");
        assertThat(JobWatcher.best(MAPPER.readTree("{\"bestEmaPseudoDice\": 0.875, \"bestMetric\": "
                + "{\"name\": \"ema_pseudo_dice\", \"value\": 0.875, \"epoch\": 3}}")))
                .isEqualTo(", best EMA pseudo-Dice 0.875");
        assertThat(JobWatcher.best(MAPPER.readTree("{}"))).isEmpty();
        assertThat(JobWatcher.metricSummary(MAPPER.readTree("{\"auc\": 0.75, \"balanced_accuracy\": 0.5, \"x\": 1}")))
                .isEqualTo("balanced_accuracy=0.5000 auc=0.7500");
    }
}
