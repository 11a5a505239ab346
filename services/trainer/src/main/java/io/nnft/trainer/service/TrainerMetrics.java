package io.nnft.trainer.service;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Prometheus metrics ({@code /q/metrics}) for operators: {@code nnft_trainer_jobs_running}; per running job (tag
 * {@code job}) {@code nnft_trainer_epoch}, {@code nnft_trainer_train_loss}, {@code nnft_trainer_val_loss},
 * {@code nnft_trainer_ema_pseudo_dice}, {@code nnft_trainer_mean_pseudo_dice}, a classifier's
 * {@code nnft_trainer_balanced_accuracy}, and {@code nnft_trainer_epoch_seconds} (the last epoch's wall time); counters
 * {@code nnft_trainer_jobs_claimed_total} and {@code nnft_trainer_jobs_total} by outcome (completed, failed,
 * cancelled, ...). A job's gauges are removed when it ends. k8s/grafana/nnft-training.json charts them. The engine
 * self-check per plan shape: see {@link #selfCheck}.
 */
@ApplicationScoped
public class TrainerMetrics {
    /** Gauge name (nnft.trainer.*) → the TrainingProgress metric it shows. */
    private static final Map<String, String> GAUGES = Map.of("epoch", "epoch", "train_loss", "train_loss",
            "val_loss", "val_loss", "ema_pseudo_dice", "ema_pseudo_dice", "mean_pseudo_dice", "mean_pseudo_dice",
            "balanced_accuracy", "balanced_accuracy", "epoch.seconds", "epoch_time_s");

    private final MeterRegistry registry;
    private final AtomicInteger running = new AtomicInteger();
    private final Map<String, Map<String, Double>> latest = new ConcurrentHashMap<>();
    private final Map<String, List<Meter>> meters = new ConcurrentHashMap<>();
    private final Map<String, SelfCheckResult> selfChecks = new ConcurrentHashMap<>();
    private final Set<String> selfCheckMeters = ConcurrentHashMap.newKeySet();

    @Inject
    public TrainerMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("nnft.trainer.jobs.running", running, AtomicInteger::get)
                .description("Training jobs running on this replica").register(registry);
    }

    public void started(String jobId) {
        running.incrementAndGet();
        registry.counter("nnft.trainer.jobs.claimed").increment();
        latest.put(jobId, new ConcurrentHashMap<>());
        meters.computeIfAbsent(jobId, id -> GAUGES.entrySet().stream().map(g -> (Meter) Gauge.builder(
                        "nnft.trainer." + g.getKey(), latest, m -> m.getOrDefault(id, Map.of()).getOrDefault(g.getValue(),
                                Double.NaN))
                .tags(Tags.of("job", id)).register(registry)).toList());
    }

    public void epoch(String jobId, int epoch, Map<String, Double> metrics) {
        Map<String, Double> m = latest.get(jobId);
        if (m == null) {
            return;
        }
        m.put("epoch", (double) epoch);
        for (String name : GAUGES.values()) {
            Double v = metrics.get(name);
            if (v != null) {
                m.put(name, v);
            }
        }
    }

    public void ended(String jobId, String outcome) {
        running.decrementAndGet();
        latest.remove(jobId);
        List<Meter> ms = meters.remove(jobId);
        if (ms != null) {
            ms.forEach(registry::remove);
        }
        registry.counter("nnft.trainer.jobs", "outcome", outcome).increment();
    }

    public int running() {
        return running.get();
    }

    /**
     * A self-check's verdict for a plan shape: {@code nnft_trainer_selfcheck_ok{plan}} (1 OK, 0 failed),
     * {@code nnft_trainer_selfcheck_seconds{plan}} and {@code nnft_trainer_selfcheck_runs_total{outcome}}
     * (ok | failed | unfinished).
     */
    public void selfCheck(String plan, SelfCheckResult r) {
        selfChecks.put(plan, r);
        if (selfCheckMeters.add(plan)) {
            Gauge.builder("nnft.trainer.selfcheck.ok", selfChecks, m -> m.containsKey(plan) && m.get(plan).ok() ? 1 : 0)
                    .description("Engine self-check of the plan shape on this node: 1 OK, 0 failed")
                    .tags(Tags.of("plan", plan)).register(registry);
            Gauge.builder("nnft.trainer.selfcheck.seconds", selfChecks,
                            m -> m.containsKey(plan) ? m.get(plan).seconds() : Double.NaN)
                    .description("Seconds the plan shape's engine self-check took").tags(Tags.of("plan", plan))
                    .register(registry);
        }
        registry.counter("nnft.trainer.selfcheck.runs", "outcome", r.ok() ? "ok" : r.conclusive() ? "failed"
                : "unfinished").increment();
    }

    /**
     * A failed self-check checked once more ({@code nnft_trainer_selfcheck_repeats_total}, outcome {@code passed}: a
     * transient fault; {@code failed}: the node refuses the shape).
     */
    public void selfCheckRepeated(String plan, boolean passed) {
        registry.counter("nnft.trainer.selfcheck.repeats", "outcome", passed ? "passed" : "failed").increment();
    }

    /** A job this node did not claim because its self-check failed ({@code nnft_trainer_selfcheck_refusals_total}). */
    public void selfCheckRefusal() {
        registry.counter("nnft.trainer.selfcheck.refusals").increment();
    }
}
