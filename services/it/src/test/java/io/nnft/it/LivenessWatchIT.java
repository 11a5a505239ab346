package io.nnft.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.nnft.embedded.LocalPlatform;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local platform's liveness watch, as {@code ./nnft local} runs it: a service that stops answering (SIGSTOP: the
 * JVM is there, its HTTP port accepts nothing) or dies (SIGKILL) is restarted on the same port, and the console says
 * why and when it is back.
 */
class LivenessWatchIT {

    @Test
    void aStuckOrDeadServiceIsRestartedAndTheConsoleSaysSo(@TempDir Path data) throws Exception {
        Path root = Path.of(System.getProperty("nnft.repo.root", "../..")).toAbsolutePath().normalize();
        List<String> console = new CopyOnWriteArrayList<>();
        try (LocalPlatform platform = LocalPlatform.start(root, data, false, "nnft", List.of("planner"), Map.of())) {
            platform.watchLiveness(Duration.ofSeconds(1), 2, console::add);
            String url = platform.service("planner").baseUrl();
            long stuck = platform.service("planner").handle().pid();

            signal("STOP", stuck);
            await("the stopped planner restarted", () -> platform.restarts("planner") == 1 && live(url));
            assertThat(platform.service("planner").handle().pid()).isNotEqualTo(stuck);
            assertThat(ProcessHandle.of(stuck).map(ProcessHandle::isAlive).orElse(false)).as("the stuck JVM").isFalse();
            assertThat(console).anyMatch(l -> l.startsWith("service planner: not live (/q/health/live did not answer")
                    && l.contains("restarting it (restart 1)") && l.contains("planner.log"));
            assertThat(console).anyMatch(l -> l.startsWith("service planner: restarted, live again at " + url));

            long second = platform.service("planner").handle().pid();
            signal("KILL", second);
            await("the killed planner restarted", () -> platform.restarts("planner") == 2 && live(url));
            assertThat(console).anyMatch(l -> l.startsWith("service planner: not live (its JVM exited")
                    && l.contains("(restart 2)"));
        }
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive).count()).as("left running").isZero();
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor()).isZero();
    }

    private static boolean live(String baseUrl) {
        try {
            HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl
                    + "/q/health/live")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("%s within 3 min", what).isLessThan(deadline);
            Thread.sleep(250);
        }
    }
}
