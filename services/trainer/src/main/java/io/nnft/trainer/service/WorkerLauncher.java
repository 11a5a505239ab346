package io.nnft.trainer.service;

import io.nnft.services.common.JobTracing;
import io.nnft.trainer.config.TrainerConfig;
import io.nnft.trainer.worker.TrainingWorker;
import io.opentelemetry.context.Context;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts {@link TrainingWorker} JVMs. Their class path is the service's own: from the Quarkus fast-jar
 * ({@code java.class.path} is {@code <quarkus-app>/quarkus-run.jar}) the folders {@code app/}, {@code lib/main/}
 * and {@code lib/boot/}; otherwise (tests, IDE) {@code java.class.path}; {@code nnft.trainer.worker-classpath}
 * overrides both. The environment is inherited, so a GPU image's {@code PYTORCH_LIBRARY_PATH},
 * {@code PYTORCH_VERSION} and {@code PYTORCH_FLAVOR} reach DJL in the worker. The caller's trace context (the
 * attempt's span) goes in {@code TRACEPARENT}, OpenTelemetry's environment carrier for a child process.
 */
@ApplicationScoped
public class WorkerLauncher {
    /** libtorch thread settings of the service JVM, handed on when set. */
    private static final List<String> PASSED_PROPERTIES = List.of("ai.djl.pytorch.num_threads",
            "ai.djl.pytorch.num_interop_threads", "ai.djl.pytorch.graph_optimizer", "ai.djl.default_engine");

    private final TrainerConfig config;

    @Inject
    public WorkerLauncher(TrainerConfig config) {
        this.config = config;
    }

    /**
     * This launcher with {@code options} (for one plan's workers: the conv repair its self-check switched on) added
     * after the configured JVM options. It wraps this launcher rather than copying it, so a subclass's command (a
     * test's substituted main class) still applies.
     */
    public WorkerLauncher withJvmOptions(List<String> options) {
        if (options.isEmpty()) {
            return this;
        }
        WorkerLauncher base = this;
        List<String> extra = List.copyOf(options);
        return new WorkerLauncher(config) {
            @Override
            List<String> command(String mainClass, List<String> args) {
                List<String> cmd = new ArrayList<>(base.command(mainClass, args));
                cmd.addAll(cmd.indexOf("-cp"), extra);
                return cmd;
            }
        };
    }

    public Process start(Path spec, Path log) throws IOException {
        return start(TrainingWorker.class.getName(), List.of(spec.toString()), log);
    }

    /** A JVM like the training worker's (class path, options, environment) running {@code mainClass}. */
    Process start(String mainClass, List<String> args, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command(mainClass, args))
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        config.djlCacheDir().ifPresent(d -> pb.environment().put("DJL_CACHE_DIR", d));
        traceContext(pb.environment(), Context.current());
        return pb.start();
    }

    /** {@code TRACEPARENT} for the span in {@code context}; never one inherited from the service's own environment. */
    static void traceContext(Map<String, String> environment, Context context) {
        environment.remove(TrainingWorker.TRACEPARENT_ENV);
        JobTracing.traceparent(context).ifPresent(t -> environment.put(TrainingWorker.TRACEPARENT_ENV, t));
    }

    List<String> command(String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + config.workerHeap());
        cmd.add("-Dai.djl.offline=true");
        cmd.add("-Djava.awt.headless=true");
        for (String p : PASSED_PROPERTIES) {
            String v = System.getProperty(p);
            if (v != null) {
                cmd.add("-D" + p + "=" + v);
            }
        }
        config.workerJvmOptions().ifPresent(cmd::addAll);
        cmd.add("-cp");
        cmd.add(classpath(System.getProperty("java.class.path"), config.workerClasspath()));
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /** The worker's class path (see the class comment). */
    static String classpath(String javaClassPath, Optional<String> override) {
        if (override.isPresent() && !override.get().isBlank()) {
            return override.get();
        }
        if (javaClassPath != null && !javaClassPath.contains(File.pathSeparator)
                && Path.of(javaClassPath).getFileName() != null
                && Path.of(javaClassPath).getFileName().toString().equals("quarkus-run.jar")) {
            Path app = Path.of(javaClassPath).toAbsolutePath().getParent();
            return String.join(File.pathSeparator, app.resolve("app") + File.separator + "*",
                    app.resolve("lib/main") + File.separator + "*", app.resolve("lib/boot") + File.separator + "*");
        }
        if (javaClassPath == null || javaClassPath.isBlank()) {
            throw new IllegalStateException("java.class.path is empty: set nnft.trainer.worker-classpath to the class "
                    + "path of io.nnft.trainer.worker.TrainingWorker");
        }
        return javaClassPath;
    }

    /** The last lines of a worker's log, for the reason of a failure that the worker did not report itself. */
    static String logTail(Path log) {
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException | java.io.UncheckedIOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
