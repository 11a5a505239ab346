package io.nnft.embedded;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One nnft service (a Quarkus fast-jar, {@code services/<name>/target/quarkus-app/quarkus-run.jar}) run as
 * its own JVM, the way it runs in a pod. End-to-end tests and {@code ./nnft local} start the five services
 * like this around the embedded broker and S3 server, so what is tested is what is deployed. A shutdown
 * hook stops the process if the parent JVM exits first: nothing is left running.
 */
public final class ServiceProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final int httpPort;
    private final Path log;
    private final Thread shutdownHook;
    /** How it was started, so that {@link #restart} starts the same service again. */
    private final Path jar;
    private final Map<String, String> config;

    private ServiceProcess(String name, Process process, int httpPort, Path log, Path jar, Map<String, String> config) {
        this.name = name;
        this.process = process;
        this.httpPort = httpPort;
        this.log = log;
        this.jar = jar;
        this.config = Map.copyOf(config);
        this.shutdownHook = new Thread(process::destroyForcibly, "stop-" + name);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Configuration key (not passed on) pinning the service's HTTP port; a free one otherwise. */
    public static final String HTTP_PORT = "nnft.process.http-port";

    /**
     * Starts {@code jar} with the given configuration and waits until its readiness check answers UP. Settings travel
     * as system properties (which Quarkus reads before application.properties), except credentials: those go in
     * the child's environment under Quarkus' names for them ({@code nnft.storage.secret-key} →
     * {@code NNFT_STORAGE_SECRET_KEY}), so no other local user reads them from the process list.
     */
    public static ServiceProcess start(String name, Path jar, Map<String, String> config, Path logDir,
                                       Duration readyTimeout) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("service " + name + ": " + jar + " does not exist; build it first "
                    + "(./mvnw -B package -DskipTests)");
        }
        int port = config.containsKey(HTTP_PORT) ? Integer.parseInt(config.get(HTTP_PORT)) : FreePort.find();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + config.getOrDefault("nnft.process.heap", "512m"));
        // Small services on a small machine: one GC thread, quick JIT warm-up.
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Dquarkus.http.port=" + port);
        cmd.add("-Dquarkus.http.host=127.0.0.1");
        Map<String, String> env = new java.util.LinkedHashMap<>();
        config.forEach((k, v) -> {
            if (isCredential(k)) {
                env.put(k.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_"), v);
            } else if (!k.startsWith("nnft.process.")) {
                cmd.add("-D" + k + "=" + v);
            }
        });
        cmd.add("-jar");
        cmd.add(jar.toString());
        try {
            Files.createDirectories(logDir);
            Path log = logDir.resolve(name + ".log");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().putAll(env);
            Process p = pb.start();
            ServiceProcess sp = new ServiceProcess(name, p, port, log, jar, config);
            sp.awaitReady(readyTimeout);
            return sp;
        } catch (IOException e) {
            throw new IllegalStateException("could not start service " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stops this process (SIGKILL: it no longer answers, so a graceful stop would only wait) and starts the same
     * service again on the same HTTP port, with the same configuration and log file; waits until it is ready.
     */
    public ServiceProcess restart(Duration readyTimeout) {
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs anyway
        }
        Map<String, String> same = new java.util.LinkedHashMap<>(config);
        same.put(HTTP_PORT, Integer.toString(httpPort));
        return start(name, jar, same, log.getParent(), readyTimeout);
    }

    /** Keys whose values are secrets: access keys, secret keys, API keys, passwords, tokens. */
    static boolean isCredential(String key) {
        String k = key.toLowerCase(java.util.Locale.ROOT);
        return k.endsWith("access-key") || k.endsWith("secret-key") || k.endsWith("api-keys") || k.contains("password")
                || k.endsWith("token");
    }

    private void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI ready = URI.create(baseUrl() + "/q/health/ready");
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("service " + name + " exited with " + process.exitValue()
                        + " while starting; last log lines:\n" + tail(40));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = r.statusCode() + " " + r.body();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
            sleep(200);
        }
        close();
        throw new IllegalStateException("service " + name + " not ready within " + timeout + " (" + last
                + "); last log lines:\n" + tail(40));
    }

    public String name() {
        return name;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The service's JVM; its descendants are the processes it started (e.g. the trainer's worker JVMs). */
    public ProcessHandle handle() {
        return process.toHandle();
    }

    /** The last lines of the service's log, for failure messages. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGKILL, as when a pod is killed. */
    public void kill() {
        process.destroyForcibly();
        waitFor(10);
    }

    /** SIGTERM, then SIGKILL after 20 s. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            if (!waitFor(20)) {
                process.destroyForcibly();
                waitFor(10);
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs anyway
        }
    }

    private boolean waitFor(int seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
