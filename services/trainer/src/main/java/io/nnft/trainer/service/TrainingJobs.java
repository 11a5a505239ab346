package io.nnft.trainer.service;

import io.nnft.events.JobCancelRequested;
import io.nnft.events.PreprocessingCompleted;
import io.nnft.services.common.EventPublisher;
import io.nnft.events.Problem;
import io.nnft.services.common.JobFailure;
import io.nnft.services.common.JobTracing;
import io.nnft.storage.InvalidLocationException;
import io.nnft.storage.ObjectStore;
import io.nnft.trainer.config.TrainerConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import org.jboss.logging.Logger;

/**
 * The trainer's work: a {@code PreprocessingCompleted} is recorded in the ledger and, when this replica has a
 * free slot and wins the claim, trained on a worker thread that outlives the Kafka record (which is
 * acknowledged at once, so the throttled commit strategy never sees a record waiting for hours). Jobs nobody
 * holds (no free slot when they came, an owner that died, this replica before a restart) are picked up by
 * {@link #scan()} at start-up and every {@code nnft.trainer.scan-every}. A duplicate or redelivered event for
 * a job that is running or finished starts nothing. Before a claim the engine self-check runs for the job's plan
 * ({@link SelfCheckGate}, once per plan shape): a node whose check fails claims nothing and leaves the job to others.
 *
 * <p>Tracing: the ledger keeps the job's trace context from its {@code PreprocessingCompleted} ({@link JobTracing}),
 * and each attempt is a span {@code training attempt} in that trace, on whichever replica claims it, with a span
 * {@code training epoch} per epoch below it ({@link TrainingRun}).
 */
@ApplicationScoped
public class TrainingJobs {
    private static final Logger LOG = Logger.getLogger(TrainingJobs.class);
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("nnft.attempt");
    static final AttributeKey<String> OWNER = AttributeKey.stringKey("nnft.trainer.owner");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("nnft.outcome");

    private final ObjectStore store;
    private final EventPublisher publisher;
    private final TrainerConfig config;
    private final WorkerLauncher launcher;
    private final TrainerMetrics metrics;
    private final JobTracing tracing;
    private final Clock clock = Clock.systemUTC();
    private final JobLedger ledger;
    private final Semaphore slots;
    private final ExecutorService workers;
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(1, r -> {
        Thread t = new Thread(r, "trainer-lease-renewal");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, RunningJob> running = new ConcurrentHashMap<>();
    /** Jobs holding a slot while the engine self-check for their plan runs, before the claim. */
    private final Set<String> checking = ConcurrentHashMap.newKeySet();
    private final SelfCheckGate gate;
    private volatile boolean stopping;

    @Inject
    public TrainingJobs(ObjectStore store, EventPublisher publisher, TrainerConfig config,
                        WorkerLauncher launcher, TrainerMetrics metrics, SelfChecks selfChecks, JobTracing tracing) {
        this.store = store;
        this.publisher = publisher;
        this.config = config;
        this.launcher = launcher;
        this.metrics = metrics;
        this.tracing = tracing;
        this.ledger = new JobLedger(store, config.ownerId().orElseGet(TrainingJobs::defaultOwner), config.leaseTtl(), clock);
        this.gate = new SelfCheckGate(store, ledger, config, selfChecks, metrics, clock);
        this.slots = new Semaphore(config.maxJobs());
        this.workers = Executors.newFixedThreadPool(config.maxJobs(), r -> new Thread(r, "trainer-job"));
    }

    private static String defaultOwner() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "trainer";
        }
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    void onStart(@Observes StartupEvent e) {
        LOG.infof("trainer %s: %d job slot(s), lease %s, require GPU: %s, engine self-check before claims: %s, work dir %s",
                ledger.owner(), config.maxJobs(), config.leaseTtl(), config.requireGpu(),
                config.selfcheck().enabled() ? "on (give up after " + SelfCheckGate.human(config.selfcheck().giveUpAfter())
                        + ")" : "off",
                config.workDir());
    }

    void onStop(@Observes ShutdownEvent e) {
        stopping = true;
        for (RunningJob j : running.values()) {
            Process p = j.worker();
            if (p != null) {
                LOG.infof("job %s: stopping its worker (the service stops); a replica resumes it after the lease", j.jobId());
                p.destroy();
            }
        }
        workers.shutdown();
        timers.shutdownNow();
    }

    public JobLedger ledger() {
        return ledger;
    }

    public Collection<RunningJob> running() {
        return running.values();
    }

    /** The pid of the worker training {@code jobId} here, if any (operators, and the fault tests). */
    public OptionalLong workerPid(String jobId) {
        RunningJob j = running.get(jobId);
        Process p = j == null ? null : j.worker();
        return p == null || !p.isAlive() ? OptionalLong.empty() : OptionalLong.of(p.pid());
    }

    /** Records the job and starts it here if this replica has a free slot and wins the claim. */
    public void submit(PreprocessingCompleted event) {
        String jobId = event.jobId();
        Optional<JobState> existing = ledger.read(jobId);
        if (existing.isPresent() && existing.get().status().terminal()) {
            LOG.infof("job %s: already %s; a repeated PreprocessingCompleted starts nothing", jobId,
                    existing.get().status());
            return;
        }
        // Refuse what the trainer cannot run, and locations outside the bucket, before anything is recorded.
        WorkerSpecs.settings(event.request(), config.dataThreads());
        store.locate(event.preprocessed());
        store.locate(event.plans());
        if (event.splits() != null) {
            store.locate(event.splits());
        }
        if (event.request().pretrained() != null) {
            store.locate(event.request().pretrained());
        }
        // the trace the event came in (this consumer's span): every attempt of the job joins it
        JobState state = existing.orElseGet(() -> ledger.register(event,
                JobTracing.traceparent(Context.current()).orElse(null)));
        if (state.status().terminal()) {
            return;
        }
        tryStart(jobId);
    }

    /** Stops the job at its next iteration wherever it runs (the owner sees the ledger's request at renewal). */
    public void cancel(JobCancelRequested cancel) {
        String jobId = cancel.jobId();
        ledger.requestCancel(jobId, cancel.reason());
        RunningJob here = running.get(jobId);
        if (here != null) {
            try {
                Files.createDirectories(here.cancelFile().getParent());
                if (!Files.exists(here.cancelFile())) {
                    Files.createFile(here.cancelFile());
                }
            } catch (IOException e) {
                LOG.warnf("job %s: could not write the cancel marker %s: %s", jobId, here.cancelFile(), e.getMessage());
            }
            LOG.infof("job %s: cancellation requested; the worker stops at its next iteration", jobId);
            return;
        }
        // Not running here: if nobody holds it, claim it to record the cancellation (exactly one replica does).
        Optional<JobState> s = ledger.read(jobId);
        if (s.isPresent() && !s.get().status().terminal()) {
            tryStart(jobId);
        }
    }

    /** Claims and runs jobs nobody holds: unclaimed, lease expired, or this owner's from before a restart. */
    @Scheduled(every = "${nnft.trainer.scan-every:60s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scan() {
        if (stopping) {
            return;
        }
        try {
            for (String jobId : ledger.activeJobs()) {
                if (running.containsKey(jobId) || checking.contains(jobId)) {
                    continue;
                }
                Optional<JobState> s = ledger.read(jobId);
                if (s.isEmpty() || s.get().status().terminal()) {
                    ledger.forget(jobId);
                    continue;
                }
                if (slots.availablePermits() == 0) {
                    return;
                }
                tryStart(jobId);
            }
        } catch (RuntimeException e) {
            LOG.warnf("ledger scan failed (next scan retries): %s", e.getMessage());
        }
    }

    private void tryStart(String jobId) {
        if (stopping || running.containsKey(jobId) || checking.contains(jobId)) {
            return;
        }
        if (!slots.tryAcquire()) {
            LOG.infof("job %s: recorded; no free slot here (%d running), a scan picks it up", jobId, config.maxJobs());
            return;
        }
        boolean handedOver = false;
        try {
            if (config.selfcheck().enabled()) {
                // A JVM start at least (minutes for a new plan shape): never on the Kafka consumer's thread.
                if (checking.add(jobId)) {
                    workers.submit(() -> checkThenStart(jobId));
                    handedOver = true;
                }
                return;
            }
            handedOver = start(jobId, List.of(), true);
        } finally {
            if (!handedOver) {
                slots.release();
            }
        }
    }

    /**
     * Claims the job with the slot the caller holds and runs it, on a new task ({@code async}) or on this thread
     * (which then returns when the job ends here); false when nothing was started (the caller still holds the slot).
     */
    private boolean start(String jobId, List<String> workerJvmOptions, boolean async) {
        Optional<Claim> claim = ledger.claimNext(jobId, running.containsKey(jobId));
        if (claim.isEmpty()) {
            LOG.infof("job %s: held by another replica or finished; nothing to start", jobId);
            return false;
        }
        RunningJob job = new RunningJob(jobId, config.workDir().resolve(jobId).resolve("cancel"), claim.get(),
                clock.instant());
        if (running.putIfAbsent(jobId, job) != null) {
            return false;
        }
        metrics.started(jobId);
        WorkerLauncher jobLauncher = launcher.withJvmOptions(workerJvmOptions);
        if (async) {
            workers.submit(() -> runJob(job, jobLauncher));
        } else {
            checking.remove(jobId);
            runJob(job, jobLauncher);
        }
        return true;
    }

    /**
     * On a worker thread holding a slot: the engine self-check for the job's plan on this node (cached per plan
     * shape), then the claim. A failed check claims nothing: the refusal goes to the ledger and the job stays
     * requested for other nodes, until {@code give-up-after} has passed with nobody claiming it (then it fails here).
     */
    private void checkThenStart(String jobId) {
        boolean started = false;
        try {
            if (stopping || !ledger.claimable(jobId)) {
                LOG.infof("job %s: held by another replica or finished; nothing to start", jobId);
                return;
            }
            SelfCheckGate.Decision d = gate.decide(jobId, ledger.read(jobId).orElseThrow());
            switch (d.action()) {
                case CLAIM -> started = start(jobId, d.workerJvmOptions(), false);
                case GIVE_UP -> giveUp(jobId, d);
                case LEAVE -> {
                    // Requested still, for a node whose check passes; the scan comes back to it.
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (io.nnft.storage.StorageException e) {
            if (e.retriable()) {
                LOG.warnf("job %s: could not self-check the engine for it (a scan tries again): %s", jobId, e.getMessage());
            } else {
                // the job's plans or dataset.json are not there (404, refused): no later scan will find them
                failUnreadable(jobId, e);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf("job %s: could not self-check the engine for it (a scan tries again): %s", jobId, e.getMessage());
        } finally {
            checking.remove(jobId);
            if (!started) {
                slots.release();
            }
        }
    }

    /** A job whose inputs cannot be read (not retriable) fails at once, naming what is missing. */
    private void failUnreadable(String jobId, io.nnft.storage.StorageException e) {
        try {
            giveUp(jobId, new SelfCheckGate.Decision(SelfCheckGate.Action.GIVE_UP, List.of(),
                    "cannot read the job's inputs: " + e.getMessage(), List.of()));
        } catch (RuntimeException f) {
            LOG.errorf(f, "job %s: could not fail it (a scan tries again)", jobId);
        }
    }

    /** Claims the job only to fail it: the claim keeps a node whose check passes from starting it at the same moment. */
    private void giveUp(String jobId, SelfCheckGate.Decision d) {
        Optional<Claim> claim = ledger.claimNext(jobId, false);
        if (claim.isEmpty()) {
            LOG.infof("job %s: claimed by another replica meanwhile; not failing it", jobId);
            return;
        }
        RunningJob job = new RunningJob(jobId, config.workDir().resolve(jobId).resolve("cancel"), claim.get(),
                clock.instant());
        Span span = attemptSpan("training give-up", claim.get());
        try (Scope ignored = span.makeCurrent()) {
            new TrainingRun(claim.get(), job, store, publisher, ledger, config, launcher, metrics, timers, () -> stopping,
                    clock, tracing).failed(d.reason(), false, d.problems(), 0);
        } finally {
            span.end();
        }
        LOG.errorf("job %s: failed: %s", jobId, d.reason());
    }

    /** Runs attempts until the job ends here: a crashed worker is followed by a resumed attempt. */
    private void runJob(RunningJob job, WorkerLauncher jobLauncher) {
        String outcome = "interrupted";
        try {
            Claim claim = job.claim();
            while (true) {
                TrainingRun run = new TrainingRun(claim, job, store, publisher, ledger, config, jobLauncher, metrics, timers,
                        () -> stopping, clock, tracing);
                TrainingRun.Outcome o = attempt(run, claim);
                outcome = o.name().toLowerCase(java.util.Locale.ROOT);
                if (o != TrainingRun.Outcome.CRASHED) {
                    break;
                }
                LOG.warnf("job %s: attempt %d crashed (%s); resuming from the latest checkpoint", job.jobId(),
                        claim.attempt(), run.crashDetail());
                Optional<Claim> next = ledger.claimAfter(claim);
                if (next.isEmpty()) {
                    outcome = "lost";
                    break;
                }
                claim = next.get();
                job.claim(claim);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // Storage gone for longer than the retries, or a bug: report it; the lease expires and a replica
            // (maybe this one, at the next scan) resumes the job from its latest checkpoint.
            outcome = "error";
            LOG.errorf(e, "job %s: attempt %d stopped unexpectedly; it is resumed from its latest checkpoint once its "
                    + "lease expires", job.jobId(), job.claim().attempt());
        } finally {
            running.remove(job.jobId());
            metrics.ended(job.jobId(), outcome);
            slots.release();
            try {
                Process p = job.worker();
                if (p != null) {
                    p.destroyForcibly();
                }
            } catch (RuntimeException ignored) {
                // Already gone.
            }
            if (!stopping) {
                // A job may be waiting for this slot.
                try {
                    workers.submit(this::scanQuietly);
                } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                    // The service stops; the next start scans.
                }
            }
        }
    }

    /** One attempt as one span of the job's trace: its outcome, and ERROR for a crash or an escaping exception. */
    private TrainingRun.Outcome attempt(TrainingRun run, Claim claim) throws Exception {
        Span span = attemptSpan("training attempt", claim);
        try (Scope ignored = span.makeCurrent()) {
            TrainingRun.Outcome o;
            try {
                o = run.execute();
            } catch (JobFailure f) {
                o = run.failed(f.getMessage(), f.retriable(), f.problems(), 0);
            } catch (InvalidLocationException f) {
                o = run.failed(f.getMessage(), false, List.of(new Problem(f.location(), "a location in bucket '"
                        + store.bucket() + "'", f.getMessage())), 0);
            }
            span.setAttribute(OUTCOME, o.name().toLowerCase(java.util.Locale.ROOT));
            if (o == TrainingRun.Outcome.CRASHED) {
                span.setStatus(StatusCode.ERROR, run.crashDetail());
            }
            return o;
        } catch (Exception | Error e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, String.valueOf(e.getMessage()));
            throw e;
        } finally {
            span.end();
        }
    }

    /** A span of the job's trace (its context from the ledger; a new trace when the ledger has none). */
    private Span attemptSpan(String name, Claim claim) {
        String traceparent = null;
        try {
            traceparent = ledger.read(claim.jobId()).map(JobState::traceparent).orElse(null);
        } catch (RuntimeException e) {
            LOG.debugf("job %s: no trace context from the ledger (%s); the attempt starts a trace", claim.jobId(), e);
        }
        Span span = tracing.start(name, claim.jobId(), JobTracing.context(traceparent));
        span.setAttribute(ATTEMPT, (long) claim.attempt());
        span.setAttribute(OWNER, claim.owner());
        return span;
    }

    private void scanQuietly() {
        try {
            scan();
        } catch (RuntimeException e) {
            LOG.debugf("scan after job end failed: %s", e.getMessage());
        }
    }

    /** Seconds until the slowest running job's lease would run out without renewal (for health). */
    public long oldestRenewalAgeSeconds() {
        return running.values().stream().mapToLong(j -> java.time.Duration.between(j.lastRenewal(), clock.instant())
                .toSeconds()).max().orElse(0);
    }

    public TrainerConfig config() {
        return config;
    }
}
