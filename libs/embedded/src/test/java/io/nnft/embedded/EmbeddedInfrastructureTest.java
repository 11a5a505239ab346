package io.nnft.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nnft.storage.ObjectInfo;
import io.nnft.storage.ObjectStore;
import io.nnft.storage.StorageException;
import io.nnft.storage.StorageSettings;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The embedded broker and S3 server are real servers: talk to them over loopback like any client. */
class EmbeddedInfrastructureTest {
    static EmbeddedS3 s3;
    static ObjectStore store;

    @BeforeAll
    static void start() {
        s3 = EmbeddedS3.start("test-access", "test-secret-key");
        store = new ObjectStore(StorageSettings.of(s3.endpoint(), "test-access", "test-secret-key", "nnft"));
        store.ensureBucket();
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    @Test
    void storesListsAndPresignsObjects() throws Exception {
        store.put("jobs/j1/plans/nnUNetPlans.json", "{\"a\":1}".getBytes(StandardCharsets.UTF_8), "application/json");
        assertThat(new String(store.getBytes("jobs/j1/plans/nnUNetPlans.json"), StandardCharsets.UTF_8))
                .isEqualTo("{\"a\":1}");
        assertThat(store.exists("jobs/j1/plans/nnUNetPlans.json")).isTrue();
        assertThat(store.exists("jobs/j1/nothing")).isFalse();
        assertThat(store.list("jobs/j1/")).extracting(ObjectInfo::key).containsExactly("jobs/j1/plans/nnUNetPlans.json");

        String url = store.presignedGet("jobs/j1/plans/nnUNetPlans.json", Duration.ofMinutes(5));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"a\":1}");
    }

    @Test
    void largeStreamsOfUnknownLengthGoUpAsMultipart() throws Exception {
        byte[] big = new byte[40 << 20];
        new Random(1).nextBytes(big);
        store.put("jobs/j2/big.bin", new ByteArrayInputStream(big), -1, "application/octet-stream");
        assertThat(store.stat("jobs/j2/big.bin").orElseThrow().size()).isEqualTo(big.length);
        try (InputStream in = store.get("jobs/j2/big.bin")) {
            assertThat(in.readAllBytes()).isEqualTo(big);
        }
    }

    @Test
    void directoriesGoUpAndComeBackWithTheirLayout(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        java.nio.file.Path src = tmp.resolve("src");
        java.nio.file.Files.createDirectories(src.resolve("imagesTr"));
        java.nio.file.Files.writeString(src.resolve("dataset.json"), "{}");
        java.nio.file.Files.writeString(src.resolve("imagesTr/case_0000.nii.gz"), "x");
        assertThat(store.uploadDirectory(src, "datasets/Dataset001_T"))
                .containsExactly("datasets/Dataset001_T/dataset.json", "datasets/Dataset001_T/imagesTr/case_0000.nii.gz");
        java.nio.file.Path back = tmp.resolve("back");
        assertThat(store.downloadPrefix("datasets/Dataset001_T/", back)).hasSize(2);
        assertThat(java.nio.file.Files.readString(back.resolve("imagesTr/case_0000.nii.gz"))).isEqualTo("x");
    }

    @Test
    void conditionalCreateLetsOnlyTheFirstWriterWin() {
        assertThat(store.putIfAbsent("jobs/j3/state.json", "{\"owner\":\"a\"}".getBytes(), "application/json")).isTrue();
        assertThat(store.putIfAbsent("jobs/j3/state.json", "{\"owner\":\"b\"}".getBytes(), "application/json")).isFalse();
        assertThat(new String(store.getBytes("jobs/j3/state.json"))).contains("\"a\"");
    }

    @Test
    void wrongCredentialsAreRefusedBecauseSignaturesAreChecked() {
        ObjectStore wrong = new ObjectStore(StorageSettings.of(s3.endpoint(), "test-access", "not-the-secret", "nnft"));
        assertThatThrownBy(() -> wrong.getBytes("jobs/j1/plans/nnUNetPlans.json"))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("s3://nnft/jobs/j1/plans/nnUNetPlans.json");
    }

    @Test
    void aStoppedServerRefusesRetriablyAndComesBackOnTheSamePortWithItsObjects() {
        try (EmbeddedS3 outage = EmbeddedS3.start("outage-access", "outage-secret-key")) {
            ObjectStore client = new ObjectStore(StorageSettings.of(outage.endpoint(), "outage-access",
                    "outage-secret-key", "nnft"));
            client.ensureBucket();
            client.put("jobs/j4/state.json", "{}".getBytes(StandardCharsets.UTF_8), "application/json");
            String endpoint = outage.endpoint();

            outage.stop();
            assertThat(outage.isRunning()).isFalse();
            assertThatThrownBy(() -> client.exists("jobs/j4/state.json")).isInstanceOf(StorageException.class)
                    .satisfies(e -> assertThat(((StorageException) e).retriable()).as("connection refused is retriable")
                            .isTrue());

            outage.restart();
            assertThat(outage.endpoint()).isEqualTo(endpoint);
            assertThat(new String(client.getBytes("jobs/j4/state.json"), StandardCharsets.UTF_8)).isEqualTo("{}");
            client.put("jobs/j4/after.json", "[]".getBytes(StandardCharsets.UTF_8), "application/json");
            assertThat(client.list("jobs/j4/")).hasSize(2);
        }
    }

    @Test
    void kafkaBrokerCarriesRecords() {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopics(List.of("nnft.test"), 1);
            try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
                p.send(new ProducerRecord<>("nnft.test", "job-1", "hello")).get();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "t",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
                c.subscribe(List.of("nnft.test"));
                long deadline = System.currentTimeMillis() + 30_000;
                while (System.currentTimeMillis() < deadline) {
                    ConsumerRecords<String, String> rs = c.poll(Duration.ofMillis(500));
                    if (!rs.isEmpty()) {
                        var r = rs.iterator().next();
                        assertThat(r.key()).isEqualTo("job-1");
                        assertThat(r.value()).isEqualTo("hello");
                        return;
                    }
                }
                throw new AssertionError("no record within 30 s from " + kafka.bootstrapServers());
            }
        }
    }

    /** The local platform's broker keeps its log in the data dir: a restart on the same port finds the records again. */
    @Test
    void aPersistentBrokerKeepsItsRecordsAcrossARestart(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        String bootstrap;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(java.util.Optional.of(dir.resolve("kafka")), 0)) {
            bootstrap = kafka.bootstrapServers();
            kafka.createTopics(List.of("nnft.keep"), 1);
            try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
                p.send(new ProducerRecord<>("nnft.keep", "job-7", "kept")).get();
            }
        }
        try (EmbeddedKafka kafka = EmbeddedKafka.start(java.util.Optional.of(dir.resolve("kafka")),
                LocalConnection.port(bootstrap))) {
            assertThat(kafka.bootstrapServers()).isEqualTo(bootstrap);
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "after-restart",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
                c.subscribe(List.of("nnft.keep"));
                long deadline = System.currentTimeMillis() + 30_000;
                while (System.currentTimeMillis() < deadline) {
                    ConsumerRecords<String, String> rs = c.poll(Duration.ofMillis(500));
                    if (!rs.isEmpty()) {
                        assertThat(rs.iterator().next().value()).isEqualTo("kept");
                        return;
                    }
                }
                throw new AssertionError("the record written before the restart is gone");
            }
        }
    }

    @Test
    void connectionFileIsPrivateAndReadsBack(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        LocalConnection c = new LocalConnection("127.0.0.1:9092", "http://127.0.0.1:9000", "ak", "sk", "nnft",
                "http://127.0.0.1:8080", "tok");
        Path file = c.write(dir);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(LocalConnection.read(dir)).contains(c);
        assertThat(LocalConnection.port(c.s3Endpoint())).isEqualTo(9000);
        assertThat(LocalConnection.port(c.kafkaBootstrapServers())).isEqualTo(9092);
        assertThat(ServiceProcess.isCredential("nnft.storage.secret-key")).isTrue();
        assertThat(ServiceProcess.isCredential("nnft.gateway.api-keys")).isTrue();
        assertThat(ServiceProcess.isCredential("nnft.storage.endpoint")).isFalse();
    }
}
