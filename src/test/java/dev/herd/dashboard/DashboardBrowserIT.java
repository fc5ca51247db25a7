package dev.herd.dashboard;

import static dev.herd.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import dev.herd.testing.Api;
import dev.herd.testing.HeadlessChromium;
import dev.herd.testing.PrivateServersResource;
import dev.herd.testing.HeroPools;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard in Debian's headless Chromium against the whole application (real Redis, Zinit and
 * reference workers): the page shows the pools, then follows a desired-state edit and a queue that
 * fills up through its live stream, without being reloaded and without a script error. The
 * screenshot is kept as target/dashboard/dashboard.png.
 */
@QuarkusTest
@QuarkusTestResource(value = PrivateServersResource.class, restrictToAnnotatedClass = false)
class DashboardBrowserIT {
    private static final Path SCREENSHOT = Path.of("target/dashboard/dashboard.png");
    private static final Duration CONVERGE = Duration.ofSeconds(45);

    @TestHTTPResource("/")
    URL page;

    @BeforeAll
    static void writePools() {
        HeroPools.write("dashlive", 1, "");
        HeroPools.write("dashwait", 0, ""); // no workers: submitted jobs stay queued
    }

    @AfterAll
    static void removePools() {
        HeroPools.remove("dashlive");
        HeroPools.remove("dashwait");
        HeroPools.awaitGone(java.util.List.of("dashlive", "dashwait"));
    }

    @Test
    void showsTheFleetAndFollowsItLive() throws Exception {
        HeroPools.awaitReady("dashlive", 1);

        try (HeadlessChromium browser = HeadlessChromium.start(1440, 900)) {
            // signed in by the link `herd dashboard` prints; the test's pools are seconds old: the shortest window shows them best
            browser.open(page + "#token=" + Api.TOKEN + "&window=5");
            await().atMost(CONVERGE).until(() -> browser.text(stat("dashlive", "ready")).equals("1"));
            assertThat(browser.text("#conn")).isEqualTo("Live");
            assertThat(browser.evaluate("location.href").asText()).as("the token leaves the address bar").doesNotContain("token")
                    .endsWith("#window=5");
            assertThat(browser.text(stat("dashwait", "queued"))).isEqualTo("0");
            browser.evaluate("window.herdSamePage = 'yes'");
            int framesBefore = browser.evaluate("Number(document.documentElement.dataset.frames)").asInt();

            // the fleet changes: a pool grows by an edit of its file, jobs wait in a pool without workers
            HeroPools.write("dashlive", 2, "");
            for (int i = 0; i < 3; i++) {
                given().contentType("application/json").body("{\"scriptType\":\"dashwait\",\"script\":\"echo waiting\"}")
                        .post("/api/v1/jobs").then().statusCode(201);
            }

            await().atMost(CONVERGE).untilAsserted(() -> {
                assertThat(browser.text(stat("dashlive", "ready"))).isEqualTo("2");
                assertThat(browser.text(stat("dashwait", "queued"))).isEqualTo("3");
            });
            assertThat(browser.evaluate("window.herdSamePage").asText()).as("the page was not reloaded").isEqualTo("yes");
            assertThat(browser.evaluate("Number(document.documentElement.dataset.frames)").asInt()).isGreaterThan(framesBefore);
            assertThat(browser.evaluate("document.querySelectorAll('[data-pool=\"dashlive\"] .worker[data-phase=\"Ready\"]').length").asInt())
                    .isEqualTo(2);
            // the charts join the pool's sampled history (pushed in frames) to its live values
            await().atMost(CONVERGE).until(() -> browser.evaluate("[...document.querySelectorAll("
                    + "'[data-pool=\"dashlive\"] svg.plot path[fill=\"none\"]')].filter(p => /[HL]/.test(p.getAttribute('d'))).length")
                    .asInt() >= 5);
            assertThat(browser.text("#events")).contains("dashlive");
            assertThat(browser.text("#range [aria-pressed=\"true\"]")).isEqualTo("5 min");

            Files.createDirectories(SCREENSHOT.getParent());
            byte[] png = browser.screenshot();
            Files.write(SCREENSHOT, png);
            assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
            assertThat(browser.problems()).as("errors in the browser console").isEmpty();
        }

        given().get("/api/v1/pools/dashlive/history").then().statusCode(200)
                .body("pool", equalTo("dashlive")).body("time.size()", greaterThan(0));
        given().get("/api/v1/pools/nope/history").then().statusCode(404).contentType("application/problem+json");
        given().redirects().follow(false).get("/dashboard").then().statusCode(303);
    }

    @Test
    void withoutTheTokenThePageShowsNoFleetAndSaysHowToSignIn() throws Exception {
        try (HeadlessChromium browser = HeadlessChromium.start(1024, 700)) {
            browser.open(page.toString());
            await().atMost(CONVERGE).until(() -> browser.text("#conn").equals("Signed out"));
            assertThat(browser.text("#pools")).contains("dashboard").doesNotContain("dashlive");
            browser.open(page + "#token=wrong-token");
            await().atMost(CONVERGE).until(() -> browser.text("#conn").equals("Signed out"));
            assertThat(browser.text("#pools")).doesNotContain("dashlive");
        }
    }

    private static String stat(String pool, String field) {
        return "[data-pool=\"" + pool + "\"] [data-field=\"" + field + "\"] .n";
    }
}
