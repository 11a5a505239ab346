package io.nnft.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.nnft.embedded.LocalPlatform;
import io.nnft.storage.ObjectStore;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard as a user meets it, in a real headless Chromium (Debian's chromium and chromium-driver; where they
 * are not installed the test is skipped and says so): the platform's five services around a real broker and S3
 * server; sign in with the API key, see the demo job appear in the list, watch its curves gain points as epochs
 * end, overlay it with a from-scratch run in the compare view, and cancel a third job from its page. Screenshots
 * of the job page and the compare view go to target/ (the README's come from here).
 */
class DashboardIT {
    private static final String API_KEY = "it-" + Long.toHexString(System.nanoTime());
    private static final Duration WAIT = Duration.ofMinutes(6);
    private static final Path CHROMIUM = Path.of(System.getProperty("nnft.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("nnft.chromedriver", "/usr/bin/chromedriver"));

    @TempDir
    static Path data;

    static LocalPlatform platform;
    static WebDriver browser;
    static String dashboard;

    @BeforeAll
    static void start() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String why = "DashboardIT skipped: no headless browser (" + CHROMIUM + " and " + CHROMEDRIVER + " are needed; "
                    + "install Debian's chromium and chromium-driver, or set -Dnnft.chromium / -Dnnft.chromedriver)";
            System.err.println(why);
            Assumptions.abort(why);
        }
        Path root = Path.of(System.getProperty("nnft.repo.root", "../..")).toAbsolutePath().normalize();
        platform = LocalPlatform.start(root, data, false, "nnft", LocalPlatform.ALL_SERVICES,
                Map.of("nnft.gateway.api-keys", API_KEY, "nnft.trainer.worker-heap", "1g"));
        ObjectStore store = platform.store();
        store.uploadDirectory(root.resolve("demo/Dataset102_SynthB"), "datasets/Dataset102_SynthB");
        store.uploadDirectory(root.resolve("demo/pretrained/Dataset101_SynthA"), "models/Dataset101_SynthA");
        PipelineIT.uploadClassificationDataset(store, root);
        dashboard = platform.service("gateway").baseUrl() + "/dashboard/";

        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
        // Headless in a closed network: without the background-networking flags Chromium keeps dialling Google.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1600",
                "--user-data-dir=" + Files.createTempDirectory(data, "chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (platform != null) {
            platform.close();
        }
    }

    private static String request(boolean pretrained, int epochs, int iterations) {
        return "{\"task\":\"segmentation\",\"dataset\":\"s3://nnft/datasets/Dataset102_SynthB/\","
                + (pretrained ? "\"pretrained\":\"s3://nnft/models/Dataset101_SynthA/\"," : "")
                + "\"configuration\":\"3d_fullres\",\"fold\":0,\"seed\":12345,\"budget\":{\"epochs\":" + epochs
                + ",\"iterationsPerEpoch\":" + iterations + ",\"validationIterations\":2,\"checkpointEvery\":1},"
                + "\"freeze\":" + (pretrained ? "{\"policy\":\"encoder\",\"schedule\":[{\"epoch\":2,"
                + "\"unfreezePrefixes\":[\"encoder.\"],\"lrFactor\":0.5}]}" : "{\"policy\":\"none\"}") + "}";
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    /** An element's text read in one step: the page redraws parts as events arrive, so a held element goes stale. */
    private static String text(String id) {
        Object t = js("const e = document.getElementById('" + id + "'); return e ? e.innerText : ''");
        return t == null ? "" : t.toString();
    }

    private static long number(String script) {
        Object v = js(script);
        return v instanceof Number n ? n.longValue() : -1;
    }

    private static void waitFor(String what, java.util.function.BooleanSupplier condition) {
        new WebDriverWait(browser, WAIT, Duration.ofMillis(250)).withMessage(what).until(d -> condition.getAsBoolean());
    }

    private static void screenshot(String name) throws Exception {
        Path out = Path.of("target", name);
        Files.createDirectories(out.getParent());
        Files.write(out, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void signInWatchTheDemoJobTrainCompareTwoRunsAndCancelAThird() throws Exception {
        long submitted = System.nanoTime();
        String fineTuned = GatewayRequests.submit(platform, API_KEY, request(true, 4, 10));
        String scratch = GatewayRequests.submit(platform, API_KEY, request(false, 4, 10));

        // sign in: the key is kept in the session, never in the URL
        browser.get(dashboard);
        browser.findElement(By.id("api-key")).sendKeys(API_KEY);
        browser.findElement(By.id("login")).click();
        waitFor("the demo job in the list", () -> !browser.findElements(By.cssSelector("tr[data-job='" + fineTuned + "']")).isEmpty());
        assertThat(browser.getCurrentUrl()).doesNotContain(API_KEY);
        assertThat(js("return sessionStorage.getItem('nnft.apiKey')")).isEqualTo(API_KEY);

        // its page: the curves gain points while it trains
        long opened = System.nanoTime();
        browser.get(dashboard + "#/job/" + fineTuned);
        waitFor("a first epoch on the curves", () -> number("const c = document.getElementById('charts');"
                + " return c && c.dataset.points ? Number(c.dataset.points) : 0") >= 1);
        long weight = number("return performance.getEntriesByType('navigation').concat(performance"
                + ".getEntriesByType('resource')).filter(e => !e.name.includes('/jobs')).reduce((n, e) => n"
                + " + (e.encodedBodySize || 0), 0)");
        System.out.printf("dashboard: page weight %.1f kB (html, js, css, uPlot; API calls excluded); first curve point "
                + "%.1f s after the job page opened, %.1f s after the request was submitted%n", weight / 1e3,
                (System.nanoTime() - opened) / 1e9, (System.nanoTime() - submitted) / 1e9);
        long first = number("return Number(document.getElementById('charts').dataset.points)");
        waitFor("more epochs on the curves without a reload", () -> number(
                "return Number(document.getElementById('charts').dataset.points)") > first);
        waitFor("the job exported", () -> "exported".equals(js("const s = document.getElementById('stage');"
                + " return s && s.textContent")));
        waitFor("all four epochs drawn", () -> number(
                "return Number(document.getElementById('charts').dataset.points)") == 4);
        long reload = System.nanoTime();
        browser.navigate().refresh();
        waitFor("the finished job's curves after a reload", () -> number("const c = document.getElementById('charts');"
                + " return c && c.dataset.points ? Number(c.dataset.points) : 0") == 4);
        System.out.printf("dashboard: a finished job's page drew its curves %.2f s after a reload%n",
                (System.nanoTime() - reload) / 1e9);
        waitFor("the artifacts listed with their sha256", () -> text("artifact-list").matches("(?s).*[0-9a-f]{64}.*"));
        assertThat(text("artifact-list")).contains("encoder.safetensors")
                .contains("checkpoint_final.pth").as("the export's sha256").containsPattern("[0-9a-f]{64}");
        assertThat(text("trainable-phases")).as("frozen, then unfrozen at epoch 2")
                .containsPattern("0–1\\s+\\d+").containsPattern("2–3\\s+\\d+");
        assertThat(number("return document.querySelector('[data-chart=score]').plot.series.length")).as("x + EMA, mean, "
                + "two classes").isEqualTo(5);
        assertThat(text("timeline")).contains("TrainingProgress 4/4")
                .contains("EncoderExported");
        screenshot("dashboard-job.png");

        // compare: the fine-tuned run over the one from scratch
        browser.get(dashboard + "#/");
        waitFor("the run from scratch exported (the list refreshes itself)", () -> !browser.findElements(
                By.cssSelector("tr[data-job='" + scratch + "'] .stage.exported")).isEmpty());
        browser.findElement(By.cssSelector("input[data-job='" + fineTuned + "']")).click();
        browser.findElement(By.cssSelector("input[data-job='" + scratch + "']")).click();
        browser.findElement(By.id("compare")).click();
        waitFor("two runs overlaid", () -> number("const c = document.getElementById('charts');"
                + " return c && c.dataset.jobs ? Number(c.dataset.jobs) : 0") == 2);
        assertThat(number("return document.querySelector('[data-chart=compare-score]').plot.series.length"))
                .as("x + one series per job").isEqualTo(3);
        List<?> labels = (List<?>) js("return document.querySelector('[data-chart=compare-score]').plot.series"
                + ".slice(1).map(s => s.label)");
        assertThat(labels.toString()).contains(fineTuned + " (from Dataset101_SynthA").contains(scratch + " (from scratch");
        screenshot("dashboard-compare.png");

        // a classifier: its own scores and the confusion matrix
        String classifier = GatewayRequests.submit(platform, API_KEY, """
                {"task": "classification", "dataset": "s3://nnft/datasets/Dataset103_SynthClasses/",
                 "pretrained": "s3://nnft/models/Dataset101_SynthA/fold_all/checkpoint_final.pth",
                 "configuration": "3d_fullres", "fold": 0, "seed": 7, "budget": {"epochs": 3, "iterationsPerEpoch": 4},
                 "optimizer": {"initialLr": 1e-3, "encoderLrFactor": 0.1},
                 "freeze": {"policy": "encoder", "schedule": [{"epoch": 1, "unfreezePrefixes": [""]}]},
                 "classification": {"labelsFile": "classification.csv", "head": {"hiddenUnits": [16]}}}""");
        browser.get(dashboard + "#/job/" + classifier);
        waitFor("the classifier exported", () -> "exported".equals(js("const s = document.getElementById('stage');"
                + " return s && s.textContent")));
        waitFor("its three epochs drawn", () -> number(
                "return Number(document.getElementById('charts').dataset.points)") == 3);
        assertThat(js("return document.querySelector('[data-chart=score]').plot.series.slice(1).map(s => s.label)"))
                .asString().contains("accuracy").contains("balanced_accuracy").contains("auc");
        assertThat(text("confusion")).contains("sphere").contains("ellipsoid");
        assertThat(text("job-head")).contains("balanced_accuracy");
        screenshot("dashboard-classifier.png");

        // a failed job: the reason, where the pipeline stopped
        String broken = GatewayRequests.submit(platform, API_KEY, request(true, 4, 10)
                .replace("Dataset102_SynthB", "Dataset109_Missing"));
        browser.get(dashboard + "#/job/" + broken);
        waitFor("the failure shown", () -> !browser.findElements(By.id("failure-reason")).isEmpty()
                && browser.findElement(By.id("failure-reason")).isDisplayed());
        assertThat(text("failure")).contains("Failed in planning")
                .contains("Dataset109_Missing");
        assertThat(text("stage")).isEqualTo("failed");
        screenshot("dashboard-failed.png");

        // cancel from the page
        String third = GatewayRequests.submit(platform, API_KEY, request(true, 50, 10));
        browser.get(dashboard + "#/job/" + third);
        waitFor("the cancel button", () -> !browser.findElements(By.id("cancel")).isEmpty()
                && browser.findElement(By.id("cancel")).isEnabled());
        browser.findElement(By.id("cancel")).click();
        browser.switchTo().alert().accept();
        waitFor("the job cancelled", () -> "cancelled".equals(js("const s = document.getElementById('stage');"
                + " return s && s.textContent")));
    }
}
