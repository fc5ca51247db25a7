package dev.herd.strays;

import static dev.herd.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import dev.herd.config.HerdConfig;
import dev.herd.reconcile.Ownership;
import dev.herd.testing.PrivateServersResource;
import dev.herd.testing.HeroPools;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With the real zinit-server: a process labelled as one of this Herd's workers that no Zinit service
 * runs is SIGKILLed, with an event and a metric; the worker Zinit runs under that name, and processes
 * labelled for another controller or another Zinit, are left alone.
 */
@QuarkusTest
@QuarkusTestResource(value = PrivateServersResource.class, restrictToAnnotatedClass = false)
class StrayReaperIT {
    private static final String POOL = "strays";

    @Inject
    HerdConfig config;

    @BeforeAll
    static void writePool() {
        HeroPools.write(POOL, 1, "");
    }

    @AfterAll
    static void removePool() {
        HeroPools.remove(POOL);
        HeroPools.awaitGone(List.of(POOL));
    }

    private Process labelledSleep(String owner, String zinit) throws IOException {
        ProcessBuilder sleep = new ProcessBuilder("sleep", "300");
        sleep.environment().putAll(Ownership.labels(owner, POOL, 0, "0000000000"));
        sleep.environment().put(Ownership.ZINIT, zinit);
        return sleep.start();
    }

    @Test
    void aProcessOfThisHerdsWorkerOutsideZinitIsKilledAndNothingElseIs() throws Exception {
        HeroPools.awaitReady(POOL, 1);
        String worker = POOL + "-0";
        int workerPid = given().get("/api/v1/pools/" + POOL).then().statusCode(200).extract().path("workers[0].pid");
        String ownZinit = Ownership.zinitLabel(config.zinit().socket());
        Process stray = labelledSleep(config.controllerId(), ownZinit);
        Process otherController = labelledSleep(config.controllerId() + "-other", ownZinit);
        Process otherZinit = labelledSleep(config.controllerId(), "/run/another-zinit.sock");
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> !stray.isAlive());
            // the event and the metric follow the kill
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                List<Map<String, String>> events = given().get("/api/v1/events?limit=500&pool=" + POOL).then().statusCode(200)
                        .extract().jsonPath().getList("$");
                assertThat(events).anySatisfy(e -> assertThat(e).containsEntry("reason", "StrayKilled").containsEntry("worker", worker)
                        .extractingByKey("message").asString().contains("runs: pid " + stray.pid() + " (sleep).").contains("no Zinit service runs"));
                given().get("/q/metrics").then().statusCode(200)
                        .body(containsString("herd_worker_strays_total{action=\"killed\",pool=\"" + POOL + "\"} 1.0"));
            });
            assertThat(otherController.isAlive()).isTrue();
            assertThat(otherZinit.isAlive()).isTrue();
            // the worker Zinit runs under the same name is undisturbed
            assertThat(given().get("/api/v1/pools/" + POOL).then().statusCode(200).extract().<Integer>path("workers[0].pid")).isEqualTo(workerPid);
            assertThat(ProcessHandle.of(workerPid).map(ProcessHandle::isAlive)).contains(true);
        } finally {
            stray.destroyForcibly();
            otherController.destroyForcibly();
            otherZinit.destroyForcibly();
        }
    }
}
