package io.nnft.preprocessor;

import static org.assertj.core.api.Assertions.assertThat;

import io.nnft.events.EventCodec;
import io.nnft.events.EventType;
import io.nnft.events.FineTuneRequested;
import io.nnft.events.JobFailed;
import io.nnft.events.PlansReady;
import io.nnft.events.PreprocessingCompleted;
import io.nnft.imageio.NdArray;
import io.nnft.imageio.Npy;
import io.nnft.services.testing.InMemoryChannelsAndS3;
import io.nnft.services.testing.InMemoryTopics;
import io.nnft.services.testing.RealS3;
import io.nnft.services.testing.Topics;
import io.nnft.storage.ObjectStore;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The preprocessor on in-memory channels and a real S3 server: nnU-Net's arrays in the bucket, reuse on redelivery. */
@QuarkusTest
@WithTestResource(value = InMemoryChannelsAndS3.class,
        initArgs = @ResourceArg(name = InMemoryChannelsAndS3.INCOMING, value = "plans-ready"))
class PreprocessorTests {
    private static final EventCodec CODEC = new EventCodec("/nnft/test");
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    static Path tmp;

    @Inject
    @Any
    InMemoryConnector connector;

    @BeforeAll
    static void upload() throws IOException {
        ObjectStore store = RealS3.store();
        store.uploadDirectory(Path.of("src/test/resources/Dataset001_CT"), "datasets/Dataset001_CT");
        store.putFile("plans/ct/nnUNetPlans.json", Path.of("src/test/resources/ct_nnUNetPlans.json"));
        // A copy whose ct_001 image is not a NIfTI file.
        Path broken = tmp.resolve("Dataset004_Corrupt");
        copyTree(Path.of("src/test/resources/Dataset001_CT"), broken);
        Files.write(broken.resolve("imagesTr/ct_001_0000.nii.gz"), "this is not a volume".getBytes(StandardCharsets.UTF_8));
        store.uploadDirectory(broken, "datasets/Dataset004_Corrupt");
        // A classification dataset: the same images, no labelsTr; the planner's checked labels beside the plans.
        Path cls = tmp.resolve("Dataset005_CTClasses");
        copyTree(Path.of("src/test/resources/Dataset001_CT"), cls);
        try (var labels = Files.list(cls.resolve("labelsTr"))) {
            for (Path p : (Iterable<Path>) labels::iterator) {
                Files.delete(p);
            }
        }
        Files.delete(cls.resolve("labelsTr"));
        store.uploadDirectory(cls, "datasets/Dataset005_CTClasses");
        store.putFile("plans/ctcls/nnUNetPlans.json", Path.of("src/test/resources/ct_nnUNetPlans.json"));
        store.put("plans/ctcls/classification.csv", "case,label\nct_000,a\nct_001,b\nct_002,a\n"
                .getBytes(StandardCharsets.UTF_8), "text/csv");
    }

    @Test
    void preprocessesAClassificationDatasetWithoutSegmentationsAndCarriesItsLabels() throws IOException {
        ObjectStore store = RealS3.store();
        String bucket = store.bucket();
        FineTuneRequested request = io.nnft.events.EventJson.mapper().readValue("{\"jobId\":\"prep-cls-1\","
                + "\"task\":\"classification\",\"dataset\":\"s3://" + bucket + "/datasets/Dataset005_CTClasses/\"}",
                FineTuneRequested.class).withDefaults();
        PlansReady ready = new PlansReady("prep-cls-1", request, "Dataset005_CTClasses",
                "s3://" + bucket + "/plans/ctcls/nnUNetPlans.json",
                "s3://" + bucket + "/datasets/Dataset005_CTClasses/dataset.json", null, request.configuration(), 3, true);
        try (Topics topics = new InMemoryTopics(connector)) {
            topics.publish(EventType.PLANS_READY.topic(), "prep-cls-1", CODEC.encode(ready));
            PreprocessingCompleted done = awaitCompleted(topics, "prep-cls-1", 1);
            assertThat(done.numCases()).isEqualTo(3);
            String prefix = store.locate(done.preprocessed()).prefix();
            // the image data does not depend on the labels: nnU-Net's own array of this case
            float[] ours = Npy.read(store.get(prefix + "ct_000.npy"), "ct_000.npy").toFloats();
            float[] theirs = Npy.read(Path.of("src/test/resources/ct_000_3d_fullres_data.npy")).toFloats();
            assertThat(ours).hasSameSizeAs(theirs);
            for (int i = 0; i < ours.length; i++) {
                assertThat(Math.abs(ours[i] - theirs[i])).as("voxel %d", i).isLessThan(1e-3f);
            }
            // without a segmentation the label map only marks the nonzero crop, as nnU-Net's inference path
            int[] seg = Npy.read(store.get(prefix + "ct_000_seg.npy"), "ct_000_seg.npy").toInts();
            assertThat(seg).contains(0);
            assertThat(java.util.Arrays.stream(seg).filter(v -> v != 0 && v != -1).toArray()).isEmpty();
            assertThat(store.list(prefix + "gt_segmentations/")).isEmpty();
            assertThat(new String(store.getBytes(prefix + "classification.csv"), StandardCharsets.UTF_8))
                    .isEqualTo("case,label\nct_000,a\nct_001,b\nct_002,a\n");
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static PlansReady plansReady(String jobId, String dataset) {
        String bucket = RealS3.store().bucket();
        FineTuneRequested request = FineTuneRequested.of("s3://" + bucket + "/datasets/" + dataset + "/")
                .withJobId(jobId).withDefaults();
        return new PlansReady(jobId, request, dataset, "s3://" + bucket + "/plans/ct/nnUNetPlans.json",
                "s3://" + bucket + "/datasets/" + dataset + "/dataset.json", null, request.configuration(), 3, false);
    }

    private static PreprocessingCompleted awaitCompleted(Topics topics, String jobId, int count) {
        var records = topics.await(EventType.PREPROCESSING_COMPLETED.topic(), r -> jobId.equals(r.key()), count, WAIT);
        return CODEC.decode(records.get(count - 1).value(), PreprocessingCompleted.class);
    }

    @Test
    void writesNnUNetsArraysToTheBucketAndReusesThemOnRedelivery() throws IOException {
        ObjectStore store = RealS3.store();
        PlansReady ready = plansReady("prep-ok-1", "Dataset001_CT");
        try (Topics topics = new InMemoryTopics(connector)) {
            topics.publish(EventType.PLANS_READY.topic(), "prep-ok-1", CODEC.encode(ready));
            PreprocessingCompleted done = awaitCompleted(topics, "prep-ok-1", 1);
            assertThat(done.numCases()).isEqualTo(3);
            String prefix = "jobs/prep-ok-1/preprocessed/3d_fullres/";
            assertThat(store.locate(done.preprocessed()).prefix()).isEqualTo(prefix);
            for (String f : new String[] {"ct_000.npy", "ct_000_seg.npy", "ct_000.json", "ct_002.json",
                    "dataset.json", "nnUNetPlans.json"}) {
                assertThat(store.exists(prefix + f)).as(f).isTrue();
            }
            NdArray ours = Npy.read(store.get(prefix + "ct_000.npy"), "ct_000.npy");
            NdArray theirs = Npy.read(Path.of("src/test/resources/ct_000_3d_fullres_data.npy"));
            assertThat(ours.shape()).isEqualTo(theirs.shape());
            float[] a = ours.toFloats();
            float[] b = theirs.toFloats();
            for (int i = 0; i < a.length; i++) {
                assertThat(Math.abs(a[i] - b[i])).as("voxel %d", i).isLessThan(1e-3f);
            }
            NdArray seg = Npy.read(store.get(prefix + "ct_000_seg.npy"), "ct_000_seg.npy");
            assertThat(seg.toInts()).isEqualTo(Npy.read(Path.of("src/test/resources/ct_000_3d_fullres_seg.npy")).toInts());
            // nnU-Net's gt_segmentations (the raw labels as they are), for the trainer's final validation
            for (String c : new String[] {"ct_000", "ct_001", "ct_002"}) {
                assertThat(store.getBytes(prefix + "gt_segmentations/" + c + ".nii.gz")).as(c)
                        .isEqualTo(Files.readAllBytes(Path.of("src/test/resources/Dataset001_CT/labelsTr/" + c + ".nii.gz")));
            }

            // Redelivery: a finished case is not redone (our marker survives), a missing one is.
            store.put(prefix + "ct_000.npy", new ByteArrayInputStream(new byte[] {42}), 1, "application/octet-stream");
            store.delete(prefix + "ct_001.json");
            topics.publish(EventType.PLANS_READY.topic(), "prep-ok-1", CODEC.encode(ready));
            awaitCompleted(topics, "prep-ok-1", 2);
            assertThat(store.getBytes(prefix + "ct_000.npy")).containsExactly(42);
            assertThat(store.exists(prefix + "ct_001.json")).isTrue();
        }
    }

    @Test
    void theSameEventThreeTimesIsHandledOnce() {
        try (Topics topics = new InMemoryTopics(connector)) {
            byte[] record = CODEC.encode(plansReady("prep-thrice-1", "Dataset004_Corrupt"));
            for (int i = 0; i < 3; i++) {
                topics.publish(EventType.PLANS_READY.topic(), "prep-thrice-1", record);
            }
            // one channel, in order: once the next job has its outcome, the three copies have been handled
            topics.publish(EventType.PLANS_READY.topic(), "prep-thrice-next",
                    CODEC.encode(plansReady("prep-thrice-next", "Dataset004_Corrupt")));
            topics.await(EventType.JOB_FAILED.topic(), r -> "prep-thrice-next".equals(r.key()), 1, WAIT);
            assertThat(topics.readAll(EventType.JOB_FAILED.topic(), r -> "prep-thrice-1".equals(r.key()))).hasSize(1);
            assertThat(topics.readAll(EventType.DEAD_LETTER_TOPIC, r -> "prep-thrice-1".equals(r.key()))).isEmpty();
        }
        io.restassured.RestAssured.given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void aCorruptCaseFailsTheJobNamingTheCase() {
        try (Topics topics = new InMemoryTopics(connector)) {
            topics.publish(EventType.PLANS_READY.topic(), "prep-bad-1", CODEC.encode(plansReady("prep-bad-1", "Dataset004_Corrupt")));
            var record = topics.await(EventType.JOB_FAILED.topic(), r -> "prep-bad-1".equals(r.key()), 1, WAIT).get(0);
            JobFailed failed = CODEC.decode(record.value(), JobFailed.class);
            assertThat(failed.stage()).isEqualTo(JobFailed.Stage.PREPROCESSING);
            assertThat(failed.reason()).contains("ct_001");
            assertThat(failed.retriable()).isFalse();
        }
    }
}
