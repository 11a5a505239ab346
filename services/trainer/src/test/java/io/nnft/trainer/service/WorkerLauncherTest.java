package io.nnft.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nnft.services.common.JobTracing;
import io.opentelemetry.context.Context;
import java.io.File;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkerLauncherTest {
    @Test
    void fromTheQuarkusFastJarTheWorkerGetsItsFolders() {
        String cp = WorkerLauncher.classpath("/deployments/quarkus-run.jar", Optional.empty());
        assertThat(cp.split(File.pathSeparator)).containsExactly(
                Path.of("/deployments/app") + File.separator + "*",
                Path.of("/deployments/lib/main") + File.separator + "*",
                Path.of("/deployments/lib/boot") + File.separator + "*");
    }

    @Test
    void elsewhereTheWorkerGetsTheJavaClassPathAndTheOverrideWins() {
        String plain = "/a/classes" + File.pathSeparator + "/b/x.jar";
        assertThat(WorkerLauncher.classpath(plain, Optional.empty())).isEqualTo(plain);
        assertThat(WorkerLauncher.classpath("/deployments/quarkus-run.jar", Optional.of("/opt/worker/*")))
                .isEqualTo("/opt/worker/*");
        assertThatThrownBy(() -> WorkerLauncher.classpath("", Optional.empty()))
                .hasMessageContaining("nnft.trainer.worker-classpath");
    }

    @Test
    void theWorkerGetsTheAttemptsTraceContextAndNeverAnInheritedOne() {
        String attempt = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        Map<String, String> env = new HashMap<>(Map.of("TRACEPARENT", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                "PATH", "/usr/bin"));
        WorkerLauncher.traceContext(env, JobTracing.context(attempt));
        assertThat(env).containsEntry("TRACEPARENT", attempt).containsEntry("PATH", "/usr/bin");
        // no span (tracing off): no context at all, rather than the service's own
        WorkerLauncher.traceContext(env, Context.root());
        assertThat(env).doesNotContainKey("TRACEPARENT").containsKey("PATH");
    }
}
