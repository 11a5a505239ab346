package io.nnft.embedded;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What Kubernetes' liveness probe does for a pod, for the local platform: every {@code every}, each service's
 * {@code /q/health/live} (a dead JVM, a refused connection or no answer within the period count as DOWN); after
 * {@code failures} DOWN answers in a row the service is restarted on its port, and the console says why and when it
 * is back. Without it a service whose consumer stopped would leave every later job waiting with no word.
 */
final class LivenessWatch implements AutoCloseable {
    /** Where the services live: read and replaced by the watch when it restarts one. */
    interface Services {
        Map<String, ServiceProcess> running();

        void replace(String name, ServiceProcess restarted);
    }

    private final Services services;
    private final Duration every;
    private final int failures;
    private final Consumer<String> console;
    private final HttpClient http;
    private final Map<String, Integer> downInARow = new ConcurrentHashMap<>();
    private final Map<String, Integer> restarts = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "nnft-liveness-watch");
        t.setDaemon(true);
        return t;
    });

    LivenessWatch(Services services, Duration every, int failures, Consumer<String> console) {
        if (failures < 1) {
            throw new IllegalArgumentException("liveness failures before a restart: expected >= 1, found " + failures);
        }
        this.services = services;
        this.every = every;
        this.failures = failures;
        this.console = console;
        this.http = HttpClient.newBuilder().connectTimeout(every).build();
    }

    void start() {
        timer.scheduleWithFixedDelay(this::checkAll, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** How many times {@code service} was restarted so far (and is running again). */
    int restarts(String service) {
        return restarts.getOrDefault(service, 0);
    }

    private void checkAll() {
        for (Map.Entry<String, ServiceProcess> e : services.running().entrySet()) {
            if (timer.isShutdown()) {
                return;
            }
            String name = e.getKey();
            String down = down(e.getValue());
            if (down == null) {
                downInARow.remove(name);
                continue;
            }
            int n = downInARow.merge(name, 1, Integer::sum);
            if (n >= failures) {
                downInARow.remove(name);
                restart(name, e.getValue(), down, n);
            }
        }
    }

    /** Null when live, else what the probe saw. */
    private String down(ServiceProcess p) {
        if (!p.isAlive()) {
            return "its JVM exited";
        }
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(p.baseUrl() + "/q/health/live"))
                    .timeout(every).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? null : "/q/health/live " + r.statusCode() + " " + abbreviate(r.body());
        } catch (IOException e) {
            return "/q/health/live did not answer (" + e.getClass().getSimpleName() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void restart(String name, ServiceProcess p, String down, int n) {
        int count = restarts.getOrDefault(name, 0) + 1;
        console.accept("service " + name + ": not live (" + down + ", " + n + " checks in a row); restarting it"
                + " (restart " + count + "); its log: " + p.log());
        try {
            ServiceProcess back = p.restart(Duration.ofSeconds(120));
            services.replace(name, back);
            restarts.put(name, count);
            console.accept("service " + name + ": restarted, live again at " + back.baseUrl() + " (pid "
                    + back.handle().pid() + ")");
        } catch (RuntimeException e) {
            // The next round finds it dead and tries again.
            console.accept("service " + name + ": could not restart it: " + abbreviate(e.getMessage()));
        }
    }

    private static String abbreviate(String s) {
        String one = s == null ? "" : s.replaceAll("\\s+", " ");
        return one.length() <= 200 ? one : one.substring(0, 200) + "...";
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
