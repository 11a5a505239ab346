package io.nnft.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nnft.trainer.TestData;
import io.nnft.trainer.worker.PlanShape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One self-check per plan shape for the life of the process; a check that did not finish is asked again. */
class SelfChecksTest {
    @TempDir
    static Path tmp;
    static Path plans;
    static Path dataset;

    @BeforeAll
    static void data() throws Exception {
        Path pre = TestData.preprocessed(tmp.resolve("pre"));
        plans = pre.resolve("nnUNetPlans.json");
        dataset = pre.resolve("dataset.json");
    }

    /** A fake engine counting its checks; {@code gate} holds them until released. */
    static final class Counting implements EngineSelfCheck {
        final AtomicInteger calls = new AtomicInteger();
        final CountDownLatch gate;
        final SelfCheckResult answer;

        Counting(SelfCheckResult answer, int holds) {
            this.answer = answer;
            this.gate = new CountDownLatch(holds);
        }

        @Override
        public SelfCheckResult check(PlanShape plan) throws InterruptedException {
            calls.incrementAndGet();
            gate.await();
            return answer;
        }
    }

    static final SelfCheckResult OK = new SelfCheckResult(true, "doctor: OK", 2.5, "auto: not needed here", false, "cpu()",
            true);

    @Test
    void theSamePlanShapeIsCheckedOnceAlsoWhenJobsAskAtTheSameTime() throws Exception {
        Counting engine = new Counting(OK, 1);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SelfChecks checks = new SelfChecks(engine, new TrainerMetrics(registry));
        PlanShape shape = PlanShape.of(plans, "3d_fullres", dataset, null);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<SelfCheckResult> a = pool.submit(() -> checks.resultFor(shape));
            Future<SelfCheckResult> b = pool.submit(() -> checks.resultFor(PlanShape.of(plans, "3d_fullres", dataset, null)));
            Thread.sleep(200);
            engine.gate.countDown();
            assertThat(a.get().verdict()).isEqualTo("doctor: OK");
            assertThat(b.get()).isEqualTo(a.get());
        } finally {
            pool.shutdownNow();
        }
        assertThat(checks.resultFor(shape).ok()).isTrue();
        assertThat(engine.calls).hasValue(1);
        assertThat(checks.checked()).extracting(c -> c.plan().key()).containsExactly(shape.key());
        assertThat(registry.get("nnft.trainer.selfcheck.ok").tag("plan", shape.key()).gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("nnft.trainer.selfcheck.seconds").tag("plan", shape.key()).gauge().value()).isEqualTo(2.5);
        assertThat(registry.get("nnft.trainer.selfcheck.runs").tag("outcome", "ok").counter().count()).isEqualTo(1.0);
    }

    @Test
    void anotherBatchOrOtherHeadsIsAnotherShape() throws Exception {
        Counting engine = new Counting(OK, 0);
        SelfChecks checks = new SelfChecks(engine, new TrainerMetrics(new SimpleMeterRegistry()));
        PlanShape shape = PlanShape.of(plans, "3d_fullres", dataset, null);
        PlanShape otherBatch = PlanShape.of(plans, "3d_fullres", dataset, shape.batch() + 1);
        ObjectMapper m = new ObjectMapper();
        ObjectNode ds = (ObjectNode) m.readTree(dataset.toFile());
        ((ObjectNode) ds.get("labels")).put("extra", 9);
        Path moreLabels = tmp.resolve("dataset-more-labels.json");
        m.writeValue(moreLabels.toFile(), ds);
        PlanShape otherHeads = PlanShape.of(plans, "3d_fullres", moreLabels, null);
        // the same arch_kwargs in another copy of the plans (another job) is the same shape
        Path copy = Files.copy(plans, tmp.resolve("copy-plans.json"));
        assertThat(PlanShape.of(copy, "3d_fullres", dataset, null).key()).isEqualTo(shape.key());
        assertThat(otherBatch.key()).isNotEqualTo(shape.key());
        assertThat(otherHeads.key()).isNotEqualTo(shape.key()).isNotEqualTo(otherBatch.key());
        assertThat(shape.description()).contains("features [4, 8, 16]").contains("batch " + shape.batch());
        for (PlanShape s : new PlanShape[] {shape, otherBatch, otherHeads, shape, otherHeads}) {
            checks.resultFor(s);
        }
        assertThat(engine.calls).hasValue(3);
    }

    @Test
    void aFailedVerdictIsKeptButACheckThatDidNotFinishIsAskedAgain() throws Exception {
        PlanShape shape = PlanShape.of(plans, "3d_fullres", dataset, null);
        Counting unfinished = new Counting(SelfCheckResult.didNotFinish("its JVM exited with code 134", 1), 0);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SelfChecks checks = new SelfChecks(unfinished, new TrainerMetrics(registry));
        assertThat(checks.resultFor(shape).verdict()).startsWith("doctor: FAILED the self-check did not finish");
        checks.resultFor(shape);
        assertThat(unfinished.calls).hasValue(2);
        assertThat(registry.get("nnft.trainer.selfcheck.runs").tag("outcome", "unfinished").counter().count()).isEqualTo(2.0);

        Counting wrong = new Counting(new SelfCheckResult(false, "doctor: FAILED encoder stage 0 conv 1→4 ∂/∂input off by "
                + "3.10e-01", 3, "forced off", false, "cpu()", true), 0);
        SelfChecks failing = new SelfChecks(wrong, new TrainerMetrics(registry));
        failing.resultFor(shape);
        assertThat(failing.resultFor(shape).ok()).isFalse();
        assertThat(wrong.calls).as("a failure is checked once more, then kept").hasValue(2);
        assertThat(registry.get("nnft.trainer.selfcheck.repeats").tag("outcome", "failed").counter().count()).isEqualTo(1.0);
        assertThat(failing.last()).hasValueSatisfying(c -> assertThat(c.result().verdict()).contains("off by 3.10e-01"));
        assertThat(registry.get("nnft.trainer.selfcheck.ok").tag("plan", shape.key()).gauge().value()).isZero();
    }

    @Test
    void aFailureThatTheSecondCheckDoesNotConfirmIsTransient() throws Exception {
        PlanShape shape = PlanShape.of(plans, "3d_fullres", dataset, null);
        SelfCheckResult glitch = new SelfCheckResult(false, "doctor: FAILED nnU-Net train-step replay off by loss "
                + "3.31e-02 (rel), params 5.81e-03", 1.7, "auto: not needed here", false, "cpu()", true);
        java.util.Deque<SelfCheckResult> answers = new java.util.ArrayDeque<>(List.of(glitch, OK));
        AtomicInteger calls = new AtomicInteger();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SelfChecks checks = new SelfChecks(plan -> {
            calls.incrementAndGet();
            return answers.pop();
        }, new TrainerMetrics(registry));
        assertThat(checks.resultFor(shape)).isEqualTo(OK);
        assertThat(checks.resultFor(shape)).as("cached").isEqualTo(OK);
        assertThat(calls).hasValue(2);
        assertThat(registry.get("nnft.trainer.selfcheck.repeats").tag("outcome", "passed").counter().count()).isEqualTo(1.0);
    }

    @Test
    void theRepairASelfCheckSwitchedOnIsPassedToTheTrainingWorkers() {
        assertThat(OK.workerJvmOptions()).isEmpty();
        SelfCheckResult switched = new SelfCheckResult(true, "doctor: OK", 3, "auto: the plan's self-check found ...",
                true, "cpu()", true);
        assertThat(switched.workerJvmOptions()).containsExactly("-Dnnft.conv-backward-repair=on");
    }
}
