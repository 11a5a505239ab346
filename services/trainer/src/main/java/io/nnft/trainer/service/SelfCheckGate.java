package io.nnft.trainer.service;

import io.nnft.events.FineTuneRequested;
import io.nnft.events.PreprocessingCompleted;
import io.nnft.events.Problem;
import io.nnft.services.common.WorkDirs;
import io.nnft.storage.ObjectStore;
import io.nnft.trainer.config.TrainerConfig;
import io.nnft.trainer.worker.PlanShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Before this node claims a job: the engine self-check for the job's plan ({@link SelfChecks}, once per plan shape).
 * Passed: claim it (its workers get the conv repair when the check switched it on). Failed: claim nothing, record the
 * refusal ({@link SelfCheckRefusals}) and leave the job requested for other nodes; once it has stayed unclaimed for
 * {@code nnft.trainer.selfcheck.give-up-after}, give it up: {@link TrainingJobs} then fails it with the reason here.
 */
final class SelfCheckGate {
    private static final Logger LOG = Logger.getLogger(SelfCheckGate.class);

    /**
     * What to do with the job.
     *
     * @param workerJvmOptions {@link Action#CLAIM}: options of the job's workers
     * @param reason           {@link Action#GIVE_UP}: the JobFailed reason, naming the verdict
     */
    record Decision(Action action, List<String> workerJvmOptions, String reason, List<Problem> problems) {
        static Decision claim(List<String> options) {
            return new Decision(Action.CLAIM, options, null, List.of());
        }
    }

    enum Action {
        /** Checked OK (or nothing to check): claim and train. */
        CLAIM,
        /** This node's check failed: leave the job to others. */
        LEAVE,
        /** Nobody took it for give-up-after: claim it to fail it. */
        GIVE_UP
    }

    private final ObjectStore store;
    private final JobLedger ledger;
    private final TrainerConfig config;
    private final SelfChecks selfChecks;
    private final TrainerMetrics metrics;
    private final Clock clock;
    private final SelfCheckRefusals refusals;
    /** Jobs this node refused and said so in the log. */
    private final Set<String> refusedHere = ConcurrentHashMap.newKeySet();

    SelfCheckGate(ObjectStore store, JobLedger ledger, TrainerConfig config, SelfChecks selfChecks, TrainerMetrics metrics,
                  Clock clock) {
        this.store = store;
        this.ledger = ledger;
        this.config = config;
        this.selfChecks = selfChecks;
        this.metrics = metrics;
        this.clock = clock;
        this.refusals = new SelfCheckRefusals(store);
    }

    Decision decide(String jobId, JobState state) throws IOException, InterruptedException {
        // A cancelled job is only claimed to record the cancellation: it trains nothing, so needs no check.
        if (ledger.cancelRequest(jobId).isPresent()) {
            return Decision.claim(List.of());
        }
        // The job's plan files only for the check, outside the job's work folder (a node that does not train the job
        // keeps nothing of it).
        Path dir = config.workDir().resolve("selfcheck").resolve("jobs").resolve(jobId);
        try {
            Optional<PlanShape> plan = planShape(jobId, JobLedger.input(state), dir);
            if (plan.isEmpty()) {
                return Decision.claim(List.of());
            }
            SelfCheckResult r = selfChecks.resultFor(plan.get());
            if (!r.ok()) {
                return refuse(jobId, plan.get(), r);
            }
            refusedHere.remove(jobId);
            if (!r.workerJvmOptions().isEmpty()) {
                LOG.infof("job %s: its workers get %s (the self-check switched the conv repair on: %s)", jobId,
                        r.workerJvmOptions(), r.repair());
            }
            return Decision.claim(r.workerJvmOptions());
        } finally {
            WorkDirs.deleteRecursively(dir);
        }
    }

    /** The job's plan shape from its plans and dataset.json, fetched into {@code dir}; empty when the plan cannot be read. */
    private Optional<PlanShape> planShape(String jobId, PreprocessingCompleted event, Path dir) throws IOException {
        Path plans = dir.resolve("nnUNetPlans.json");
        Path dataset = dir.resolve("dataset.json");
        Files.createDirectories(dir);
        String plansKey = store.locate(event.plans()).key();
        String datasetKey = event.datasetJson() != null ? store.locate(event.datasetJson()).key()
                : store.locate(event.preprocessed()).prefix() + "dataset.json";
        Retry.storage("job " + jobId + ": download " + datasetKey, config.storageRetries(),
                () -> store.download(datasetKey, dataset));
        Retry.storage("job " + jobId + ": download " + plansKey, config.storageRetries(),
                () -> store.download(plansKey, plans));
        FineTuneRequested request = event.request().withDefaults();
        String configuration = (event.configuration() != null ? event.configuration() : request.configuration())
                .nnunetName();
        try {
            return Optional.of(PlanShape.of(plans, configuration, dataset, null));
        } catch (IllegalArgumentException e) {
            // Training refuses the same plan with a JobFailed naming the key; the check has nothing to add.
            LOG.warnf("job %s: no engine self-check, its plan cannot be read as a PlainConvUNet: %s", jobId, e.getMessage());
            return Optional.empty();
        }
    }

    /** Records why this node leaves the job; gives it up once nobody has claimed it for {@code give-up-after}. */
    private Decision refuse(String jobId, PlanShape plan, SelfCheckResult r) {
        metrics.selfCheckRefusal();
        int highest = ledger.highestClaim(jobId);
        String key = SelfCheckRefusals.key(jobId, ledger.owner());
        refusals.record(jobId, ledger.owner(), highest, r, plan.key(), plan.description(), clock.instant());
        Duration after = config.selfcheck().giveUpAfter();
        List<SelfCheckRefusals.Refusal> all = refusals.read(jobId);
        if (SelfCheckRefusals.giveUp(all, highest, clock.instant(), after).isEmpty()) {
            // Said once per job; the scans that come back to it stay quiet until it is given up.
            LOG.logf(refusedHere.add(jobId) ? Logger.Level.ERROR : Logger.Level.DEBUG, "job %s: not claimed: the engine "
                    + "self-check on this node failed for its plan %s (%s): %s; the job stays requested for a node whose "
                    + "check passes (refusal recorded in %s; failed here after %s unclaimed)", jobId, plan.key(),
                    plan.description(), r.verdict(), key, human(after));
            return new Decision(Action.LEAVE, List.of(), null, List.of());
        }
        refusedHere.remove(jobId);
        List<String> owners = all.stream().filter(x -> x.afterAttempt() == highest).map(SelfCheckRefusals.Refusal::owner)
                .sorted().toList();
        String reason = "no trainer node took the job for " + human(after) + " (nnft.trainer.selfcheck.give-up-after): "
                + "the engine self-check failed for its plan " + plan.key() + " (" + plan.description() + ") on " + owners
                + ": " + r.verdict();
        return new Decision(Action.GIVE_UP, List.of(), reason, List.of(new Problem(key,
                "a trainer node whose engine self-check for the plan passes (doctor: OK)", r.verdict())));
    }

    /** {@code 10m}, {@code 8s}: as the setting is written. */
    static String human(Duration d) {
        return d.toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
