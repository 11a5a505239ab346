package io.nnft.gateway.rest;

import static io.nnft.gateway.rest.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.nnft.gateway.GatewayChannels;
import io.nnft.services.testing.RealS3;
import io.nnft.storage.ObjectInfo;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/** POST /datasets: verified before it reaches the bucket, every problem listed when it is not. */
@QuarkusTest
@WithTestResource(GatewayChannels.class)
class DatasetResourceTests {
    /**
     * The bundled 3-case CT dataset zipped under {@code folder/}; {@code edit} may change or drop (null)
     * each file's bytes, by relative path.
     */
    static byte[] zip(String folder, BiFunction<String, byte[], byte[]> edit) {
        try {
            Path root = Path.of(DatasetResourceTests.class.getClassLoader().getResource("Dataset001_CT").toURI());
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(bytes); Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    String rel = root.relativize(f).toString().replace('\\', '/');
                    byte[] content = edit.apply(rel, Files.readAllBytes(f));
                    if (content != null) {
                        zip.putNextEntry(new ZipEntry(folder + rel));
                        zip.write(content);
                        zip.closeEntry();
                    }
                }
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aValidDatasetIsStoredUnderItsName() {
        String bucket = RealS3.store().bucket();
        given().contentType("application/zip").body(zip("Dataset011_Ct/", (n, b) -> b))
                .post("/datasets")
                .then().statusCode(201)
                .header("Location", equalTo("s3://" + bucket + "/datasets/Dataset011_Ct/"))
                .body("name", equalTo("Dataset011_Ct")).body("cases", equalTo(3)).body("files", equalTo(7));
        List<String> keys = RealS3.store().list("datasets/Dataset011_Ct/").stream().map(ObjectInfo::key).toList();
        assertThat(keys).contains("datasets/Dataset011_Ct/dataset.json", "datasets/Dataset011_Ct/imagesTr/ct_000_0000.nii.gz",
                "datasets/Dataset011_Ct/labelsTr/ct_002.nii.gz").hasSize(7);
        // the name is taken now
        given().contentType("application/zip").body(zip("Dataset011_Ct/", (n, b) -> b)).post("/datasets")
                .then().statusCode(409).body("problems.where", hasItem("name"));
        given().contentType("application/zip").body(zip("Dataset011_Ct/", (n, b) -> b))
                .post("/datasets?overwrite=true").then().statusCode(201);
    }

    @Test
    void aDatasetAtTheZipRootTakesItsNameFromTheQuery() {
        given().contentType("application/octet-stream").body(zip("", (n, b) -> b))
                .post("/datasets?name=Dataset012_Root").then().statusCode(201).body("name", equalTo("Dataset012_Root"));
        given().contentType("application/octet-stream").body(zip("", (n, b) -> b))
                .post("/datasets").then().statusCode(400).body("problems.where", hasItem("name"));
        given().contentType("application/zip").body(zip("", (n, b) -> b))
                .post("/datasets?name=NotADatasetName").then().statusCode(400).body("problems.where", hasItem("name"));
    }

    @Test
    void everyProblemOfABrokenDatasetIsListedAndNothingIsStored() {
        byte[] broken = zip("Dataset013_Broken/", (name, bytes) -> {
            if (name.equals("labelsTr/ct_001.nii.gz")) {
                return null;
            }
            if (name.equals("dataset.json")) {
                return new String(bytes, StandardCharsets.UTF_8).replace("\"numTraining\": 3", "\"numTraining\": 5")
                        .getBytes(StandardCharsets.UTF_8);
            }
            return bytes;
        });
        given().contentType("application/zip").body(broken).post("/datasets")
                .then().statusCode(400).contentType("application/problem+json")
                .body("title", equalTo("invalid dataset"))
                .body("problems.where", hasItem(containsString("numTraining")))
                .body("problems.where", hasItem(containsString("ct_001")));
        assertThat(RealS3.store().list("datasets/Dataset013_Broken/")).isEmpty();
    }

    @Test
    void unsafeOversizedAndNonZipUploadsAreRefused() throws IOException {
        ByteArrayOutputStream slip = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(slip)) {
            zip.putNextEntry(new ZipEntry("Dataset014_Slip/../../escape.txt"));
            zip.write(1);
            zip.closeEntry();
        }
        given().contentType("application/zip").body(slip.toByteArray()).post("/datasets")
                .then().statusCode(400).body("problems.where", hasItem(containsString("escape.txt")));
        given().contentType("application/zip").body("not a zip".getBytes(StandardCharsets.UTF_8)).post("/datasets")
                .then().statusCode(400).body("problems.where", hasItem("body"));
        // %test limits the zip to 4 MB
        given().contentType("application/zip").body(new byte[5_000_000]).post("/datasets")
                .then().statusCode(413).contentType("application/problem+json").body("problems.where", hasItem("body"));
    }

    /** Only dataset files with dataset.json's file_ending reach the bucket; a stranger is named in the 400. */
    @Test
    void filesThatAreNotPartOfTheDatasetAreRefusedByName() {
        byte[] withScript = zip("Dataset015_Extra/", (n, b) -> n.equals("labelsTr/ct_002.nii.gz") ? b : b);
        byte[] extra = appendEntry(withScript, "Dataset015_Extra/run.sh");
        given().contentType("application/zip").body(extra).post("/datasets")
                .then().statusCode(400).body("title", equalTo("not a dataset file"))
                .body("problems.where", hasItem("zip entry 'Dataset015_Extra/run.sh'"));
        byte[] wrongEnding = appendEntry(withScript, "Dataset015_Extra/imagesTs/ct_009_0000.nii");
        given().contentType("application/zip").body(wrongEnding).post("/datasets")
                .then().statusCode(400).body("problems.where", hasItem("imagesTs/ct_009_0000.nii"));
        assertThat(RealS3.store().list("datasets/Dataset015_Extra/")).isEmpty();
    }

    private static byte[] appendEntry(byte[] zipBytes, String name) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream out = new ZipOutputStream(bytes);
                 java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zipBytes))) {
                java.util.zip.ZipEntry e;
                while ((e = in.getNextEntry()) != null) {
                    out.putNextEntry(new ZipEntry(e.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
                out.putNextEntry(new ZipEntry(name));
                out.write(new byte[] {1, 2, 3});
                out.closeEntry();
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
