package io.nnft.cli.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nnft.cli.Nnft;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** submit, watch, fetch, jobs and cancel against a real HTTP server playing the gateway's routes. */
class GatewayCommandsTest {
    @TempDir
    Path tmp;

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = Nnft.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static Path ctDataset() throws URISyntaxException {
        return Path.of(GatewayCommandsTest.class.getClassLoader().getResource("gateway/Dataset001_CT").toURI());
    }

    private static JsonNode json(String s) throws Exception {
        return GatewayClient.JSON.readTree(s);
    }

    @Test
    void submitUploadsALocalDatasetThenPostsTheRequestFromYaml() throws Exception {
        Path dataset = tmp.resolve("Dataset001_CT");
        copyTree(ctDataset(), dataset);
        Path yaml = tmp.resolve("request.yaml");
        Files.writeString(yaml, "jobId: heart-1\ndataset: Dataset001_CT\npretrained: s3://nnft/models/Base/\n"
                + "freeze:\n  policy: encoder\nbudget:\n  iterationsPerEpoch: 5\n");
        try (TestGateway gw = new TestGateway()) {
            gw.onJson("POST /datasets", 201, "{\"name\":\"Dataset001_CT\",\"dataset\":\"s3://nnft/datasets/Dataset001_CT/\"}")
                    .onJson("POST /jobs", 202, "{\"jobId\":\"heart-1\",\"status\":\"accepted\",\"jobs\":[{\"jobId\":"
                            + "\"heart-1\",\"dataset\":\"s3://nnft/datasets/Dataset001_CT/\"}]}");
            Run r = run("submit", yaml.toString(), "--epochs", "3", "--gateway", gw.url(), "--token", "k1");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains("dataset: s3://nnft/datasets/Dataset001_CT/").contains("job: heart-1");

            assertThat(gw.requests).hasSize(2).allSatisfy(q -> assertThat(q.authorization()).isEqualTo("Bearer k1"));
            TestGateway.Request upload = gw.requests.get(0);
            assertThat(upload.pathAndQuery()).isEqualTo("/datasets?name=Dataset001_CT&overwrite=false");
            assertThat(upload.contentType()).isEqualTo("application/zip");
            assertThat(zipEntries(upload.body())).contains("Dataset001_CT/dataset.json",
                    "Dataset001_CT/imagesTr/ct_000_0000.nii.gz", "Dataset001_CT/labelsTr/ct_002.nii.gz").hasSize(7);

            JsonNode posted = json(gw.requests.get(1).text());
            assertThat(posted.path("dataset").asText()).isEqualTo("s3://nnft/datasets/Dataset001_CT/");
            assertThat(posted.path("budget").path("epochs").asInt()).isEqualTo(3);
            assertThat(posted.path("budget").path("iterationsPerEpoch").asInt()).isEqualTo(5);
            assertThat(posted.path("freeze").path("policy").asText()).isEqualTo("encoder");
            assertThat(posted.path("jobId").asText()).isEqualTo("heart-1");
        }
    }

    @Test
    void severalDatasetsGoAsOneFanOutRequest() throws Exception {
        try (TestGateway gw = new TestGateway()) {
            gw.onJson("POST /jobs", 202, "{\"status\":\"accepted\",\"jobs\":[{\"jobId\":\"ft-1\",\"dataset\":\"a\"},"
                    + "{\"jobId\":\"ft-2\",\"dataset\":\"b\"}]}");
            Run r = run("submit", "--dataset", "datasets/Dataset002_A/", "--dataset", "s3://nnft/datasets/Dataset003_B/",
                    "--pretrained", "models/Base/", "--job-id", "ft", "--fold", "all", "--gateway", gw.url());
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains("job: ft-1 (a)").contains("job: ft-2 (b)");
            JsonNode posted = json(gw.requests.get(0).text());
            assertThat(posted.has("dataset")).isFalse();
            assertThat(posted.path("datasets").toString())
                    .isEqualTo("[\"datasets/Dataset002_A/\",\"s3://nnft/datasets/Dataset003_B/\"]");
            assertThat(posted.path("fold").asText()).isEqualTo("all");
            assertThat(gw.requests.get(0).authorization()).isNull();
        }
    }

    @Test
    void aBrokenLocalDatasetIsRefusedBeforeAnythingIsSent() throws Exception {
        Path dataset = tmp.resolve("Dataset005_Broken");
        copyTree(ctDataset(), dataset);
        Files.delete(dataset.resolve("labelsTr/ct_001.nii.gz"));
        try (TestGateway gw = new TestGateway()) {
            Run r = run("submit", "--dataset", dataset.toString(), "--gateway", gw.url());
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("Dataset005_Broken").contains("ct_001").contains("not uploaded");
            assertThat(gw.requests).isEmpty();
        }
    }

    @Test
    void refusedRequestsListEveryProblemAndExit2() throws Exception {
        try (TestGateway gw = new TestGateway()) {
            gw.onJson("POST /jobs", 400, "{\"title\":\"invalid fine-tune request\",\"status\":400,\"problems\":["
                    + "{\"where\":\"/fold\",\"expected\":\"0..4 or all\",\"found\":\"7\"},"
                    + "{\"where\":\"/datasets/1\",\"expected\":\"a location in bucket 'nnft'\",\"found\":\"s3://x/\"}]}");
            Run r = run("submit", "--dataset", "datasets/Dataset002_A/", "--fold", "7", "--gateway", gw.url());
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("invalid fine-tune request (HTTP 400")
                    .contains("/fold: expected 0..4 or all, found 7").contains("/datasets/1: expected a location");
            Path bad = tmp.resolve("request.yaml");
            Files.writeString(bad, "dataset: [unclosed\n");
            Run yaml = run("submit", bad.toString(), "--gateway", gw.url());
            assertThat(yaml.exit()).isEqualTo(2);
            assertThat(yaml.err()).contains("request.yaml: not valid YAML");
            Run none = run("submit", "--gateway", gw.url());
            assertThat(none.exit()).isEqualTo(2);
            assertThat(none.err()).contains("no dataset");
        }
    }

    @Test
    void watchShowsEachStageAndEpochAndEndsWithTheFetchLine() throws Exception {
        String job = "{\"jobId\":\"w1\",\"stage\":\"%s\",\"dataset\":\"datasets/Dataset002_A/\"%s}";
        List<String[]> events = List.of(
                new String[] {"status", "{\"job\":" + String.format(job, "requested", "") + "}"},
                new String[] {"PlansReady", "{\"data\":{\"datasetName\":\"Dataset002_A\",\"numTrainingCases\":4,"
                        + "\"configuration\":\"3d_fullres\",\"plansFromPretrained\":true},\"job\":"
                        + String.format(job, "planned", "") + "}"},
                new String[] {"TrainingStarted", "{\"data\":{\"attempt\":1,\"trainer\":\"nnft-trainer-0\"},\"job\":"
                        + String.format(job, "training", "") + "}"},
                new String[] {"TrainingProgress", "{\"data\":{\"epoch\":0,\"epochs\":2,\"metrics\":{\"ema_pseudo_dice\":0.25,"
                        + "\"train_loss\":-0.1}},\"job\":" + String.format(job, "training", "") + "}"},
                new String[] {"TrainingProgress", "{\"data\":{\"epoch\":1,\"epochs\":2,\"metrics\":{\"ema_pseudo_dice\":0.5}},"
                        + "\"job\":" + String.format(job, "training", "") + "}"},
                new String[] {"EncoderExported", "{\"data\":{},\"job\":" + String.format(job, "exported",
                        ",\"exportPrefix\":\"jobs/w1/export/\",\"artifacts\":[{\"name\":\"encoder.safetensors\"}]") + "}"});
        try (TestGateway gw = new TestGateway()) {
            gw.on("GET /jobs/w1/events", (x, r) -> TestGateway.sse(x, events));
            Run r = run("watch", "w1", "--gateway", gw.url(), "--no-progress");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out().lines().toList()).containsExactly(
                    "job: w1 (requested, dataset datasets/Dataset002_A/)",
                    "planned: Dataset002_A, 4 training case(s), 3d_fullres, plans of the pretrained model",
                    "training: attempt 1 on nnft-trainer-0",
                    "epoch 1/2: ema_pseudo_dice=0.2500 train_loss=-0.1000",
                    "epoch 2/2: ema_pseudo_dice=0.5000",
                    "exported: encoder.safetensors to jobs/w1/export/",
                    "fetch: ./nnft fetch w1 --output w1");
            assertThat(gw.requests.get(0).pathAndQuery()).isEqualTo("/jobs/w1/events");
        }
    }

    @Test
    void watchExits1WithTheReasonWhenTheJobFails() throws Exception {
        String failed = "{\"jobId\":\"w2\",\"stage\":\"failed\",\"failure\":{\"stage\":\"planning\",\"reason\":\"bad plans\","
                + "\"problems\":[{\"where\":\"plans.json\",\"expected\":\"3d_fullres\",\"found\":\"nothing\"}]}}";
        try (TestGateway gw = new TestGateway()) {
            gw.on("GET /jobs/w2/events", (x, r) -> TestGateway.sse(x, List.<String[]>of(
                    new String[] {"status", "{\"job\":{\"jobId\":\"w2\",\"stage\":\"requested\"}}"},
                    new String[] {"JobFailed", "{\"data\":{},\"job\":" + failed + "}"})));
            gw.on("GET /jobs/w3/events", (x, r) -> TestGateway.sse(x, List.<String[]>of(
                    new String[] {"status", "{\"job\":{\"jobId\":\"w3\",\"stage\":\"training\"}}"})));
            Run r = run("watch", "w2", "--gateway", gw.url());
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.out()).contains("failed at planning: bad plans").contains("plans.json: expected 3d_fullres");
            assertThat(r.err()).contains("job w2 failed: bad plans");
            Run cut = run("watch", "w3", "--gateway", gw.url());
            assertThat(cut.exit()).isEqualTo(1);
            assertThat(cut.err()).contains("ended while the job was training");
            Run unknown = run("watch", "nope", "--gateway", gw.url());
            assertThat(unknown.exit()).isEqualTo(2);
        }
    }

    @Test
    void fetchDownloadsEveryArtifactIntoItsPlaceAndChecksSha256() throws Exception {
        byte[] encoder = "ENCODER-BYTES".getBytes(StandardCharsets.UTF_8);
        byte[] checkpoint = "CKPT".getBytes(StandardCharsets.UTF_8);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(encoder));
        try (TestGateway gw = new TestGateway()) {
            gw.on("GET /blob/enc", (x, r) -> TestGateway.bytes(x, encoder))
                    .on("GET /blob/ckpt", (x, r) -> TestGateway.bytes(x, checkpoint))
                    .onJson("GET /jobs/f1/artifacts", 200, "{\"jobId\":\"f1\",\"stage\":\"exported\",\"artifacts\":["
                            + "{\"name\":\"export/encoder.safetensors\",\"kind\":\"export\",\"sha256\":\"" + sha + "\","
                            + "\"url\":\"" + gw.url() + "/blob/enc?X-Amz-Signature=abc\"},"
                            + "{\"name\":\"model/fold_0/checkpoint_final.pth\",\"kind\":\"checkpoint\",\"url\":\""
                            + gw.url() + "/blob/ckpt\"}]}")
                    .onJson("GET /jobs/f2/artifacts", 200, "{\"jobId\":\"f2\",\"stage\":\"exported\",\"artifacts\":["
                            + "{\"name\":\"export/encoder.safetensors\",\"kind\":\"export\",\"sha256\":\"00ff\","
                            + "\"url\":\"" + gw.url() + "/blob/enc\"}]}")
                    .onJson("GET /jobs/f3/artifacts", 200, "{\"jobId\":\"f3\",\"artifacts\":[{\"name\":\"../../evil\","
                            + "\"kind\":\"export\",\"url\":\"" + gw.url() + "/blob/enc\"}]}");
            Path out = tmp.resolve("out");
            Run r = run("fetch", "f1", "--output", out.toString(), "--gateway", gw.url(), "--token", "k");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(out.resolve("export/encoder.safetensors")).hasBinaryContent(encoder);
            assertThat(out.resolve("model/fold_0/checkpoint_final.pth")).hasBinaryContent(checkpoint);
            assertThat(r.out()).contains("fetched 2 file(s) of f1");
            // presigned URLs carry their own signature: the API key is not sent to the object store
            assertThat(gw.requests.stream().filter(q -> q.pathAndQuery().startsWith("/blob/")))
                    .allSatisfy(q -> assertThat(q.authorization()).isNull());

            Run only = run("fetch", "f1", "-o", tmp.resolve("only").toString(), "--kind", "checkpoint", "--gateway", gw.url());
            assertThat(only.exit()).isZero();
            assertThat(tmp.resolve("only/export")).doesNotExist();

            Run corrupt = run("fetch", "f2", "-o", tmp.resolve("f2").toString(), "--gateway", gw.url());
            assertThat(corrupt.exit()).isEqualTo(1);
            assertThat(corrupt.err()).contains("sha256 expected 00ff");
            Run evil = run("fetch", "f3", "-o", tmp.resolve("f3").toString(), "--gateway", gw.url());
            assertThat(evil.exit()).isEqualTo(1);
            assertThat(evil.err()).contains("outside");
            assertThat(tmp.resolve("evil")).doesNotExist();
        }
    }

    @Test
    void jobsListsAndCancelDeletes() throws Exception {
        try (TestGateway gw = new TestGateway()) {
            gw.onJson("GET /jobs", 200, "{\"jobs\":[{\"jobId\":\"a1\",\"stage\":\"training\",\"epoch\":4,\"epochs\":10,"
                    + "\"dataset\":\"datasets/Dataset002_A/\",\"metrics\":{\"ema_pseudo_dice\":0.61}},"
                    + "{\"jobId\":\"a2\",\"stage\":\"failed\",\"dataset\":\"datasets/Dataset003_B/\","
                    + "\"failure\":{\"reason\":\"CUDA out of memory\"}}]}")
                    .onJson("DELETE /jobs/a1", 202, "{\"jobId\":\"a1\",\"status\":\"cancel-requested\",\"purgedObjects\":12}");
            Run jobs = run("jobs", "--gateway", gw.url(), "--stage", "training");
            assertThat(jobs.exit()).as(jobs.err()).isZero();
            List<String> lines = jobs.out().lines().map(String::trim).toList();
            assertThat(lines.get(0)).startsWith("JOB").contains("STAGE");
            assertThat(lines.get(1)).matches("a1\\s+training\\s+5/10\\s+datasets/Dataset002_A/\\s+ema_pseudo_dice=0.61");
            assertThat(lines.get(2)).matches("a2\\s+failed\\s+-\\s+datasets/Dataset003_B/\\s+CUDA out of memory");
            assertThat(gw.requests.get(0).pathAndQuery()).isEqualTo("/jobs?stage=training");

            Run cancel = run("cancel", "a1", "--purge", "--reason", "wrong data", "--gateway", gw.url());
            assertThat(cancel.exit()).as(cancel.err()).isZero();
            assertThat(cancel.out()).contains("cancel requested: a1").contains("purged: 12 object(s)");
            assertThat(gw.requests.get(1).method()).isEqualTo("DELETE");
            assertThat(gw.requests.get(1).pathAndQuery()).isEqualTo("/jobs/a1?purge=true&reason=wrong+data");
        }
    }

    @Test
    void authAndReachabilityFailuresSayWhatToDo() throws Exception {
        try (TestGateway gw = new TestGateway()) {
            gw.onJson("GET /jobs", 401, "{\"title\":\"unauthorized\",\"status\":401,\"detail\":\"no Authorization header\"}");
            Run r = run("jobs", "--gateway", gw.url());
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("unauthorized (HTTP 401").contains("--token or NNFT_TOKEN");
        }
        Run down = run("jobs", "--gateway", "http://127.0.0.1:9");
        assertThat(down.exit()).isEqualTo(1);
        assertThat(down.err()).contains("cannot reach the gateway at http://127.0.0.1:9/");
    }

    @Test
    void everyCommandHasHelp() {
        for (String cmd : new String[] {"submit", "watch", "fetch", "jobs", "cancel"}) {
            Run r = run(cmd, "--help");
            assertThat(r.exit()).isZero();
            assertThat(r.out()).contains("Usage: nnft " + cmd).contains("--gateway=URL").contains("--token=KEY");
        }
        assertThat(run("submit", "--help").out()).contains("one job per dataset").contains("NNFT_GATEWAY");
    }

    private static List<String> zipEntries(byte[] zip) throws Exception {
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                names.add(e.getName());
            }
        }
        return names;
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (var files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(f, t);
                }
            }
        }
    }
}
