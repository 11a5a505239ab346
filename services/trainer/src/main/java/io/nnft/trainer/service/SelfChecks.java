package io.nnft.trainer.service;

import io.nnft.trainer.worker.PlanShape;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.jboss.logging.Logger;

/**
 * The engine self-check's verdicts on this node, one per plan shape ({@link PlanShape#key()}) for the life of the
 * process: the first job of a shape waits for the check, later ones (and jobs arriving while it runs) get its answer
 * at no cost. A failed check is repeated once before the node refuses the shape. A check that did not finish is not kept: the next job of the shape asks again. What was checked feeds
 * readiness ({@code trainer-selfcheck}) and the metrics.
 */
@ApplicationScoped
public class SelfChecks {
    private static final Logger LOG = Logger.getLogger(SelfChecks.class);

    /** One plan shape's verdict and when it came. */
    public record Checked(PlanShape plan, SelfCheckResult result, Instant at) {
    }

    private final EngineSelfCheck engine;
    private final TrainerMetrics metrics;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, CompletableFuture<SelfCheckResult>> cache = new ConcurrentHashMap<>();
    private final Map<String, Checked> checked = new ConcurrentHashMap<>();
    private volatile Checked last;

    @Inject
    public SelfChecks(EngineSelfCheck engine, TrainerMetrics metrics) {
        this.engine = engine;
        this.metrics = metrics;
    }

    /** The plan shape's verdict: cached, or checked now (one check per shape however many jobs ask at once). */
    public SelfCheckResult resultFor(PlanShape plan) throws InterruptedException {
        CompletableFuture<SelfCheckResult> mine = new CompletableFuture<>();
        CompletableFuture<SelfCheckResult> existing = cache.putIfAbsent(plan.key(), mine);
        if (existing != null) {
            try {
                return existing.get();
            } catch (ExecutionException e) {
                return SelfCheckResult.didNotFinish(String.valueOf(e.getCause()), 0);
            }
        }
        SelfCheckResult r;
        try {
            LOG.infof("engine self-check of plan %s (%s) before training it", plan.key(), plan.description());
            r = engine.check(plan);
            if (r.conclusive() && !r.ok()) {
                // A node refuses a plan for the life of the process on a failed check, so one transient glitch
                // (seen: a single non-finite gradient in the first replayed step, not in the next 30 runs) must not
                // decide it: a second check in a fresh JVM. Both must fail to refuse; a pass after a failure is
                // logged as an error with the first verdict, and counted.
                LOG.errorf("engine self-check of plan %s: %s; checking once more in a fresh JVM", plan.key(),
                        r.verdict());
                SelfCheckResult again = engine.check(plan);
                metrics.selfCheckRepeated(plan.key(), again.ok());
                if (again.ok()) {
                    LOG.errorf("engine self-check of plan %s: the second check passed (%s) after the first failed "
                            + "(%s): a transient fault of this node's engine; training goes on with the divergence "
                            + "guard on", plan.key(), again.verdict(), r.verdict());
                }
                r = again.conclusive() ? again : r;
            }
        } catch (InterruptedException e) {
            cache.remove(plan.key(), mine);
            mine.completeExceptionally(e);
            throw e;
        } catch (RuntimeException e) {
            r = SelfCheckResult.didNotFinish(e.toString(), 0);
        }
        if (!r.conclusive()) {
            cache.remove(plan.key(), mine);
        }
        Checked c = new Checked(plan, r, clock.instant());
        checked.put(plan.key(), c);
        last = c;
        metrics.selfCheck(plan.key(), r);
        if (r.ok()) {
            LOG.infof("engine self-check of plan %s: %s in %.1f s on %s (conv backward repair: %s)", plan.key(),
                    r.verdict(), r.seconds(), r.device(), r.repair());
        } else {
            LOG.errorf("engine self-check of plan %s (%s): %s (%.1f s)", plan.key(), plan.description(), r.verdict(),
                    r.seconds());
        }
        mine.complete(r);
        return r;
    }

    /** The shapes checked so far, by key. */
    public List<Checked> checked() {
        return checked.values().stream().sorted(java.util.Comparator.comparing(c -> c.plan().key())).toList();
    }

    /** The most recent check, if any. */
    public Optional<Checked> last() {
        return Optional.ofNullable(last);
    }
}
