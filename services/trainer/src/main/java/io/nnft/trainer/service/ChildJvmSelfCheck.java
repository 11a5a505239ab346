package io.nnft.trainer.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.nnft.services.common.WorkDirs;
import io.nnft.trainer.config.TrainerConfig;
import io.nnft.trainer.worker.PlanShape;
import io.nnft.trainer.worker.SelfCheckWorker;
import io.nnft.trainer.worker.WorkerLine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The self-check in a child JVM started like a training worker ({@link WorkerLauncher}: same class path, JVM options,
 * environment, so the same libtorch, oneDNN and device): {@link SelfCheckWorker} on the job's plans and dataset.json.
 * Its log is kept as {@code <work-dir>/selfcheck/<plan>.log}. A child that dies or runs past
 * {@code nnft.trainer.selfcheck.timeout} gives an inconclusive result (not cached: the next scan asks again).
 */
@ApplicationScoped
public class ChildJvmSelfCheck implements EngineSelfCheck {
    private static final Logger LOG = Logger.getLogger(ChildJvmSelfCheck.class);

    private final TrainerConfig config;
    private final WorkerLauncher launcher;

    @Inject
    public ChildJvmSelfCheck(TrainerConfig config, WorkerLauncher launcher) {
        this.config = config;
        this.launcher = launcher;
    }

    @Override
    public SelfCheckResult check(PlanShape plan) throws InterruptedException {
        long t0 = System.nanoTime();
        Path dir = config.workDir().resolve("selfcheck");
        Path scratch = dir.resolve(plan.key());
        Path log = dir.resolve(plan.key() + ".log");
        Process p;
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(log);
            p = launcher.start(SelfCheckWorker.class.getName(), List.of(plan.plans().toString(), plan.configuration(),
                    plan.datasetJson().toString(), scratch.toString(), Integer.toString(plan.batch())), log);
        } catch (IOException e) {
            return SelfCheckResult.didNotFinish("could not start its JVM: " + e.getMessage(), seconds(t0));
        }
        LOG.infof("self-check of plan %s (%s): pid %d, log %s", plan.key(), plan.description(), p.pid(), log);
        AtomicBoolean timedOut = new AtomicBoolean();
        Thread watchdog = new Thread(() -> {
            try {
                if (!p.waitFor(config.selfcheck().timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                    timedOut.set(true);
                    p.destroyForcibly();
                }
            } catch (InterruptedException done) {
                // The check ended in time.
            }
        }, "trainer-selfcheck-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            Optional<JsonNode> last = readLast(p);
            watchdog.interrupt();
            if (!p.waitFor(30, TimeUnit.SECONDS) || timedOut.get()) {
                return SelfCheckResult.didNotFinish("no verdict in " + config.selfcheck().timeout()
                        + " (nnft.trainer.selfcheck.timeout); see " + log, seconds(t0));
            }
            if (last.isPresent() && last.get().path("type").asText().equals(SelfCheckWorker.LINE)) {
                JsonNode n = last.get();
                return new SelfCheckResult(n.path("ok").asBoolean(), n.path("verdict").asText(),
                        n.path("seconds").asDouble(), n.path("repair").asText(null), n.path("repairSwitchedOn").asBoolean(),
                        n.path("device").asText(null), true);
            }
            String why = last.map(n -> n.path("message").asText()).orElse("its JVM exited with code " + p.exitValue()
                    + " without a verdict");
            return SelfCheckResult.didNotFinish(why + "; last lines of " + log + ": " + WorkerLauncher.logTail(log), seconds(t0));
        } finally {
            watchdog.interrupt();
            p.destroyForcibly();
            WorkDirs.deleteRecursively(scratch);
        }
    }

    /** The last protocol line of the child's stdout (it ends when the child exits or the watchdog kills it). */
    private static Optional<JsonNode> readLast(Process p) {
        JsonNode last = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                Optional<JsonNode> n = WorkerLine.parse(line);
                if (n.isPresent()) {
                    last = n.get();
                }
            }
        } catch (IOException e) {
            LOG.warnf("self-check: reading its output failed: %s", e.getMessage());
        }
        return Optional.ofNullable(last);
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
