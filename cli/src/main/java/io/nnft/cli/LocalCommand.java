package io.nnft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nnft.embedded.LocalConnection;
import io.nnft.embedded.LocalPlatform;
import io.nnft.events.Decoded;
import io.nnft.events.EncoderExported;
import io.nnft.events.EventCodec;
import io.nnft.events.EventType;
import io.nnft.events.InvalidEventException;
import io.nnft.events.JobFailed;
import io.nnft.events.TrainingCompleted;
import io.nnft.events.TrainingProgress;
import io.nnft.events.TrainingStarted;
import io.nnft.storage.ObjectStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nnft local}: the whole platform on this machine. Starts the embedded Kafka broker and S3 server
 * on loopback and the five services as their own JVMs, uploads the bundled demo (a task-B dataset and a
 * slim model pretrained on task A), submits a fine-tune request through the gateway, follows its events
 * and downloads the exported encoder. Everything it started is stopped when it exits.
 */
@Command(name = "local", mixinStandardHelpOptions = true,
        description = "Run the whole platform locally on the bundled demo and fine-tune the demo model.")
public final class LocalCommand implements Callable<Integer> {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String BUCKET = "nnft";
    /** Liveness as a pod's probe would do it: every 5 s, a restart after 3 failures in a row. */
    private static final java.time.Duration LIVENESS_EVERY = java.time.Duration.ofSeconds(5);
    private static final int LIVENESS_FAILURES = 3;

    @Option(names = "--data-dir", defaultValue = "nnft-data", description = "where everything is kept (default: ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--keep-running", description = "leave the platform up after the demo job (Ctrl-C stops it)")
    boolean keepRunning;

    @Option(names = "--request", description = "fine-tune request to submit (default: demo/request.json)")
    Path request;

    @Option(names = "--kafka-port", description = "broker port (default: the previous run's in this data dir, else free)")
    Integer kafkaPort;

    @Option(names = "--s3-port", description = "S3 port (default: the previous run's in this data dir, else free)")
    Integer s3Port;

    @Option(names = "--gateway-port", description = "gateway port (default: the previous run's in this data dir, else free)")
    Integer gatewayPort;

    @Option(names = "--timeout", defaultValue = "PT20M", description = "give up after this long (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        Path root = Path.of(System.getProperty("nnft.home", ".")).toAbsolutePath().normalize();
        Path demo = root.resolve("demo");
        Path requestFile = request != null ? request : demo.resolve("request.json");
        if (!Files.isRegularFile(requestFile)) {
            throw new BadInputException("no fine-tune request at " + requestFile);
        }
        Files.createDirectories(dataDir);
        // Same data dir, same credentials, bucket and (where still free) ports: URLs and job history survive a restart.
        Optional<LocalConnection> previous = LocalConnection.read(dataDir);
        String token = previous.map(LocalConnection::gatewayToken).orElse("local-" + UUID.randomUUID());
        Map<String, String> config = new LinkedHashMap<>();
        config.put("nnft.gateway.api-keys", token);
        LocalPlatform.Options options = new LocalPlatform.Options(true, BUCKET, LocalPlatform.ALL_SERVICES, config,
                port(kafkaPort, previous.map(c -> c.kafkaBootstrapServers())),
                port(s3Port, previous.map(LocalConnection::s3Endpoint)),
                port(gatewayPort, previous.map(LocalConnection::gatewayUrl)),
                previous.map(LocalConnection::s3AccessKey).orElse(null),
                previous.map(LocalConnection::s3SecretKey).orElse(null));
        long t0 = System.nanoTime();
        System.out.println("starting Kafka, S3 and the services (logs in " + dataDir.resolve("logs") + ")...");
        try (LocalPlatform platform = LocalPlatform.start(root, dataDir.toAbsolutePath(), options)) {
            System.out.printf("platform up in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            // As Kubernetes would: a service whose liveness fails is restarted, and the console says so.
            platform.watchLiveness(LIVENESS_EVERY, LIVENESS_FAILURES, System.out::println);
            System.out.println("liveness: checked every " + LIVENESS_EVERY.toSeconds() + " s; a service that fails "
                    + LIVENESS_FAILURES + " checks in a row is restarted");
            LocalConnection connection = new LocalConnection(platform.bootstrapServers(), platform.s3().endpoint(),
                    platform.s3().accessKey(), platform.s3().secretKey(), BUCKET,
                    platform.service("gateway").baseUrl(), token);
            Path env = connection.write(dataDir);
            System.out.println("connection (" + env + ", for kcat, aws-cli, mc: set -a; . " + env + "; set +a):");
            connection.asMap().forEach((k, v) -> System.out.println("  " + k + "=" + v));
            ObjectStore store = platform.store();
            store.uploadDirectory(demo.resolve(DemoPretrainCommand.DEMO_DATASET), "datasets/" + DemoPretrainCommand.DEMO_DATASET);
            store.uploadDirectory(demo.resolve("pretrained").resolve(DemoPretrainCommand.PRETRAINED_DATASET),
                    "models/" + DemoPretrainCommand.PRETRAINED_DATASET);
            String gateway = platform.service("gateway").baseUrl();
            String jobId = submit(gateway, token, Files.readAllBytes(requestFile));
            System.out.println("job: " + jobId);
            // The key is typed into the page once (kept in that browser session), never put in the URL.
            System.out.println("dashboard: " + gateway + "/dashboard/#/job/" + jobId + " (API key: NNFT_GATEWAY_TOKEN above)");
            int rc = follow(platform, jobId, gateway, token);
            System.out.printf("wall time: %.1f s%n", (System.nanoTime() - t0) / 1e9);
            if (keepRunning) {
                System.out.println("platform running: gateway " + gateway + ", dashboard " + gateway + "/dashboard/, token "
                        + token + " (Ctrl-C stops it)");
                CountDownLatch stop = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
                stop.await();
            }
            return rc;
        }
    }

    /** An explicit port, else the previous run's if still free, else 0 (a free one). */
    private static int port(Integer explicit, Optional<String> previous) {
        if (explicit != null) {
            if (explicit < 1 || explicit > 65535) {
                throw new BadInputException("port " + explicit + ": expected 1..65535");
            }
            return explicit;
        }
        return previous.map(v -> LocalConnection.reusable(LocalConnection.port(v))).orElse(0);
    }

    private static String submit(String gateway, String token, byte[] body) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gateway + "/jobs"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
            throw new BadInputException("the gateway refused the request (" + r.statusCode() + "): " + r.body());
        }
        JsonNode answer = MAPPER.readTree(r.body());
        JsonNode id = answer.has("jobId") ? answer.get("jobId") : answer.path("jobs").path(0).path("jobId");
        return id.asText();
    }

    /** Follows the job's events until it is exported (0) or failed (1), printing progress. */
    private int follow(LocalPlatform platform, String jobId, String gateway, String token) throws IOException {
        EventCodec codec = new EventCodec("/nnft/cli");
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "nnft-local-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        long deadline = System.nanoTime() + timeout.toNanos();
        TrainingCompleted completed = null;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(EventType.topics());
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (!jobId.equals(record.key())) {
                        continue;
                    }
                    Decoded d;
                    try {
                        d = codec.decode(record.value());
                    } catch (InvalidEventException e) {
                        continue;
                    }
                    if (d.event() instanceof TrainingStarted t) {
                        System.out.println("training: attempt " + t.attempt() + " on " + t.trainer());
                    } else if (d.event() instanceof TrainingProgress p) {
                        printProgress(p);
                    } else if (d.event() instanceof TrainingCompleted c) {
                        completed = c;
                        System.out.printf("%ntraining completed: %d epochs, best EMA pseudo-Dice %.3f, "
                                + "final validation Dice %s%n", c.epochsRun(), c.bestEmaPseudoDice(),
                                c.finalValidationDice() == null ? "not run" : String.format("%.3f", c.finalValidationDice()));
                    } else if (d.event() instanceof EncoderExported e) {
                        report(platform.store(), jobId, completed, e, gateway, token);
                        return 0;
                    } else if (d.event() instanceof JobFailed f) {
                        System.err.println("job " + jobId + " failed at " + f.stage() + ": " + f.reason());
                        f.problemList().forEach(p -> System.err.println("  " + p));
                        return 1;
                    } else {
                        System.out.println(d.type().eventName());
                    }
                }
            }
        }
        System.err.println("job " + jobId + " did not finish within " + timeout + "; logs in " + platform.logDir());
        return 1;
    }

    private static void printProgress(TrainingProgress p) {
        Map<String, Double> m = p.metrics();
        int width = 30;
        int done = (int) Math.round(width * (p.epoch() + 1) / (double) Math.max(1, p.epochs()));
        System.out.printf("epoch %d/%d [%s%s] loss %s  EMA pseudo-Dice %s%n", p.epoch() + 1, p.epochs(),
                "#".repeat(done), ".".repeat(width - done), fmt(m.get("train_loss")), fmt(m.get("ema_pseudo_dice")));
    }

    private static String fmt(Double v) {
        return v == null ? "-" : String.format("%.4f", v);
    }

    private void report(ObjectStore store, String jobId, TrainingCompleted completed, EncoderExported e, String gateway,
                        String token) {
        Path jobDir = dataDir.resolve("jobs").resolve(jobId).toAbsolutePath();
        store.downloadPrefix(store.locate(e.exportPrefix()).prefix(), jobDir.resolve("export"));
        if (completed != null) {
            store.downloadPrefix(store.locate(completed.modelFolder()).prefix(), jobDir.resolve("model"));
            String ckpt = completed.checkpoints().finalCheckpoint();
            Path local = jobDir.resolve("model").resolve(store.locate(ckpt).key().substring(store.locate(completed.modelFolder()).prefix().length()));
            System.out.println("checkpoint: " + local + " (" + ckpt + ")");
            try (var walk = Files.walk(jobDir.resolve("model"))) {
                walk.filter(p -> p.getFileName().toString().equals("progress.png")).findFirst()
                        .ifPresent(p -> System.out.println("progress: " + p));
            } catch (IOException ex) {
                System.out.println("progress: " + jobDir.resolve("model"));
            }
        }
        String encoderUri = e.artifact("encoder.safetensors").map(EncoderExported.Artifact::key).orElse(e.exportPrefix());
        System.out.println("encoder: " + jobDir.resolve("export").resolve("encoder.safetensors") + " (" + encoderUri + ")");
        System.out.println("fetch: ./nnft fetch " + jobId + " --output DIR --gateway " + gateway + " --token " + token
                + "   (with --keep-running; the files above are already downloaded)");
    }
}
