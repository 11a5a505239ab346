package io.nnft.trainer.worker;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.JsonNode;
import io.nnft.trainer.TestData;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker JVM as the service starts it: on a machine without a GPU, require-gpu refuses to train. */
class TrainingWorkerTest {
    @Test
    void aRequiredGpuThatIsNotThereRefusesNamingTheDevice(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(Engine.getEngine("PyTorch").getGpuCount() == 0, "this machine has a GPU");
        Path data = TestData.preprocessed(tmp.resolve("pre"));
        WorkerSpec spec = new WorkerSpec("gpu-1", data.toString(), data.resolve("nnUNetPlans.json").toString(),
                "3d_fullres", "all", tmp.resolve("model").toString(), null, null, false, null, true,
                new WorkerSpec.Settings(2, 2, 1, 0.01, 3e-5, 0.99, 1, null, 0, 7L, false, 1, "none", false, List.of(),
                        null), null);
        Path specFile = tmp.resolve("spec.json");
        WorkerLine.MAPPER.writeValue(specFile.toFile(), spec);
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), TrainingWorker.class.getName(),
                specFile.toString()).redirectError(tmp.resolve("worker.log").toFile()).start();
        List<JsonNode> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                WorkerLine.parse(line).ifPresent(lines::add);
            }
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(3);
        assertThat(lines).extracting(n -> n.get("type").asText()).containsExactly("started", "error");
        assertThat(lines.get(0).get("device").asText()).isEqualTo("cpu()");
        assertThat(lines.get(0).get("gpuCount").asInt()).isZero();
        assertThat(lines.get(1).get("message").asText()).contains("a GPU is required").contains("cpu()");
        assertThat(lines.get(1).get("retriable").asBoolean()).isTrue();
        assertThat(tmp.resolve("model/fold_all")).doesNotExist();
    }
}
