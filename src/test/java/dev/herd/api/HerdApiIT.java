package dev.herd.api;

import static dev.herd.testing.Api.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.herd.testing.PrivateServers;
import dev.herd.testing.HeroPools;
import dev.herd.testing.PrivateServersResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The whole application against the run's private Redis and Zinit, through HTTP. */
@QuarkusTest
@QuarkusTestResource(value = PrivateServersResource.class, restrictToAnnotatedClass = false)
class HerdApiIT {
    private static final Path POOL_FILE = PrivateServers.desiredStateDir().resolve("api-test.yaml");

    @BeforeAll
    static void writePool() throws Exception {
        Files.writeString(POOL_FILE, """
                apiVersion: herd/v1
                kind: WorkerPool
                metadata:
                  name: apitest
                spec:
                  scriptType: apitest
                  replicas: 2
                  template:
                    exec: HERO_EXEC
                """.replace("HERO_EXEC", dev.herd.testing.HeroPools.EXEC));
    }

    @AfterAll
    static void removePool() throws Exception {
        Files.deleteIfExists(POOL_FILE);
        HeroPools.awaitGone(java.util.List.of("apitest"));
    }

    @Test
    void healthEndpointsAreUpWithNamedChecks() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem("reconcile-loop"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                        .body("checks.name", hasItem("zinit")).body("checks.name", hasItem("redis"))
                        .body("checks.name", hasItem("desired-state")));
        given().get("/q/health/started").then().statusCode(200);
    }

    @Test
    void poolBecomesReadyAndRunsAJob() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().get("/api/v1/pools/apitest").then().statusCode(200)
                        .body("readyReplicas", equalTo(2))
                        .body("conditions.find { it.type == 'Ready' }.status", equalTo(true)));
        given().contentType("application/json").body("{\"scriptType\":\"apitest\",\"script\":\"echo hi $HERD_JOB_ID\"}")
                .post("/api/v1/jobs?wait=20s").then().statusCode(200)
                .body("status", equalTo("finished")).body("output", containsString("hi "));
        given().get("/api/v1/events").then().statusCode(200).body("reason", hasItem("Created"));
        given().get("/api/v1/plan").then().statusCode(200);
    }

    @Test
    void errorsAreProblemDocuments() {
        given().get("/api/v1/pools/nope").then().statusCode(404).contentType("application/problem+json")
                .body("title", equalTo("Unknown pool")).body("detail", containsString("nope"));
        given().contentType("application/json").body("{\"scriptType\":\"nope\",\"script\":\"x\"}")
                .post("/api/v1/jobs").then().statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("no pool serves script type 'nope'"));
        given().contentType("application/json").body("{\"scriptType\":\"apitest\"}")
                .post("/api/v1/jobs").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("a job needs a script"));
    }
}
