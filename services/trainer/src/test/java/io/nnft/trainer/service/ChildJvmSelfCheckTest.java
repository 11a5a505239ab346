package io.nnft.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.nnft.trainer.TestData;
import io.nnft.trainer.config.TrainerConfig;
import io.nnft.trainer.worker.PlanShape;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The self-check's child JVM as the service starts it, and the options a plan's workers get from it. */
class ChildJvmSelfCheckTest {
    @TempDir
    Path tmp;

    /** {@code nnft.trainer.*} as a test sets it: the given values, else what {@link TrainerConfig} defaults to. */
    static TrainerConfig config(Path workDir, Map<String, Object> values) {
        TrainerConfig.SelfCheck selfCheck = (TrainerConfig.SelfCheck) Proxy.newProxyInstance(
                TrainerConfig.class.getClassLoader(), new Class<?>[] {TrainerConfig.SelfCheck.class},
                (p, m, a) -> switch (m.getName()) {
                    case "enabled" -> true;
                    case "giveUpAfter" -> Duration.ofMinutes(10);
                    case "timeout" -> values.getOrDefault("timeout", Duration.ofMinutes(2));
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        return (TrainerConfig) Proxy.newProxyInstance(TrainerConfig.class.getClassLoader(),
                new Class<?>[] {TrainerConfig.class}, (p, m, a) -> switch (m.getName()) {
                    case "workDir" -> workDir;
                    case "workerHeap" -> "1g";
                    case "selfcheck" -> selfCheck;
                    case "workerJvmOptions" -> Optional.ofNullable(values.get("workerJvmOptions"));
                    case "workerClasspath" -> Optional.ofNullable(values.get("workerClasspath"));
                    case "djlCacheDir" -> Optional.empty();
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    @Test
    void theRealCheckOfAPlanOnThisMachinePassesInItsOwnJvm() throws Exception {
        Path pre = TestData.preprocessed(tmp.resolve("pre"));
        PlanShape plan = PlanShape.of(pre.resolve("nnUNetPlans.json"), "3d_fullres", pre.resolve("dataset.json"), null);
        TrainerConfig config = config(tmp.resolve("work"), Map.of());
        SelfCheckResult r = new ChildJvmSelfCheck(config, new WorkerLauncher(config)).check(plan);
        assertThat(r.verdict()).isEqualTo("doctor: OK");
        assertThat(r.ok()).isTrue();
        assertThat(r.conclusive()).isTrue();
        assertThat(r.seconds()).isPositive();
        assertThat(r.device()).isEqualTo("cpu()");
        assertThat(r.repair()).startsWith("auto: not needed here");
        assertThat(r.repairSwitchedOn()).isFalse();
        assertThat(tmp.resolve("work/selfcheck/" + plan.key() + ".log")).content().contains("doctor: OK");
        assertThat(tmp.resolve("work/selfcheck/" + plan.key())).doesNotExist();
    }

    @Test
    void aCheckWhoseJvmDiesIsInconclusiveAndSaysWhy() throws Exception {
        Path pre = TestData.preprocessed(tmp.resolve("pre"));
        PlanShape plan = PlanShape.of(pre.resolve("nnUNetPlans.json"), "3d_fullres", pre.resolve("dataset.json"), null);
        TrainerConfig config = config(tmp.resolve("work"), Map.of("workerClasspath", tmp.resolve("nothing").toString()));
        SelfCheckResult r = new ChildJvmSelfCheck(config, new WorkerLauncher(config)).check(plan);
        assertThat(r.ok()).isFalse();
        assertThat(r.conclusive()).isFalse();
        assertThat(r.verdict()).startsWith("doctor: FAILED the self-check did not finish: its JVM exited with code 1")
                .contains("SelfCheckWorker");
    }

    @Test
    void theRepairASelfCheckSwitchedOnGoesToThePlansWorkersAfterTheConfiguredOptions() {
        TrainerConfig config = config(tmp, Map.of("workerJvmOptions", List.of("-Dai.djl.pytorch.num_threads=8"),
                "workerClasspath", "/opt/worker/*"));
        WorkerLauncher launcher = new WorkerLauncher(config);
        SelfCheckResult switched = new SelfCheckResult(true, "doctor: OK", 3, "auto: the plan's self-check found x", true,
                "cpu()", true);
        List<String> cmd = launcher.withJvmOptions(switched.workerJvmOptions()).command("io.nnft.trainer.worker.TrainingWorker",
                List.of("spec.json"));
        assertThat(cmd).containsSubsequence("-Dai.djl.pytorch.num_threads=8", "-Dnnft.conv-backward-repair=on", "-cp",
                "/opt/worker/*", "io.nnft.trainer.worker.TrainingWorker", "spec.json");
        assertThat(launcher.command("io.nnft.trainer.worker.TrainingWorker", List.of("spec.json")))
                .doesNotContain("-Dnnft.conv-backward-repair=on");
    }
}
