package io.nnft.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The operator's view of training on the Prometheus endpoint: per running job the epoch, losses, EMA pseudo-Dice
 * (or balanced accuracy) and seconds per epoch, claimed and ended counters; and the Grafana dashboard under k8s/
 * charts only metrics the trainer really exposes.
 */
class TrainerMetricsTest {
    private static final Path DASHBOARD = Path.of("../../k8s/components/grafana-dashboard/nnft-training.json");

    private static String scrapeWithOneJob(PrometheusMeterRegistry registry, TrainerMetrics metrics) {
        metrics.started("job-1");
        metrics.epoch("job-1", 3, Map.of("train_loss", -0.61, "val_loss", -0.58, "ema_pseudo_dice", 0.854,
                "mean_pseudo_dice", 0.88, "epoch_time_s", 12.5));
        metrics.selfCheck("plan-a", new SelfCheckResult(true, "doctor: OK", 1.3, "off", false, "cpu()", true));
        return registry.scrape();
    }

    @Test
    void aRunningJobHasItsGaugesAndTheyGoWhenItEnds() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        TrainerMetrics metrics = new TrainerMetrics(registry);
        String text = scrapeWithOneJob(registry, metrics);
        assertThat(text).contains("nnft_trainer_jobs_running 1.0").contains("nnft_trainer_jobs_claimed_total 1.0")
                .contains("nnft_trainer_epoch{job=\"job-1\",} 3.0")
                .contains("nnft_trainer_epoch_seconds{job=\"job-1\",} 12.5")
                .contains("nnft_trainer_ema_pseudo_dice{job=\"job-1\",} 0.854")
                .contains("nnft_trainer_val_loss{job=\"job-1\",} -0.58")
                .contains("nnft_trainer_balanced_accuracy{job=\"job-1\",} NaN");
        metrics.ended("job-1", "completed");
        String after = registry.scrape();
        assertThat(after).contains("nnft_trainer_jobs_running 0.0")
                .contains("nnft_trainer_jobs_total{outcome=\"completed\",} 1.0").doesNotContain("job=\"job-1\"");
    }

    @Test
    void theGrafanaDashboardChartsOnlyExposedMetrics() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        TrainerMetrics metrics = new TrainerMetrics(registry);
        String text = scrapeWithOneJob(registry, metrics);
        metrics.ended("job-1", "failed");
        metrics.started("job-2");
        text += registry.scrape();
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        Set<String> used = new TreeSet<>();
        Pattern name = Pattern.compile("nnft_trainer_[a-z_]+");
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                Matcher m = name.matcher(target.get("expr").asText());
                while (m.find()) {
                    used.add(m.group());
                }
            }
        }
        assertThat(used).hasSizeGreaterThanOrEqualTo(9);
        for (String metric : used) {
            assertThat(text).as("the dashboard's %s is on /q/metrics", metric).contains("\n" + metric);
        }
    }
}
