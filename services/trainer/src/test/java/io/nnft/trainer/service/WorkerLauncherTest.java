package io.nnft.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Path;
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
}
