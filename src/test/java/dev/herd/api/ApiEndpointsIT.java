package dev.herd.api;

import static dev.herd.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.herd.testing.PrivateServers;
import dev.herd.testing.HeroPools;
import dev.herd.testing.PrivateServersResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Every endpoint of Herd's HTTP surface, with its answers and its problem documents, against the run's
 * private Redis and Zinit with four pools: reference workers that run jobs, an autoscaled pool of
 * workers that take none, workers that never answer a ping, and a pool whose workers Zinit refuses to create.
 * The last test scrapes /q/metrics and checks that every family moved with that activity.
 */
@QuarkusTest
@QuarkusTestResource(value = PrivateServersResource.class, restrictToAnnotatedClass = false)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiEndpointsIT {
    private static final Path DIR = PrivateServers.desiredStateDir();
    private static final Duration T = Duration.ofSeconds(45);
    private static final String PROBLEM = "application/problem+json";

    @BeforeAll
    static void writePools() throws Exception {
        Files.writeString(DIR.resolve("ops-jobs.yaml"), """
                apiVersion: herd/v1
                kind: WorkerPool
                metadata:
                  name: opsjobs
                spec:
                  replicas: 1
                  template:
                    exec: HERO_EXEC
                """.replace("HERO_EXEC", dev.herd.testing.HeroPools.EXEC));
        // workers that take no job: the queue depth is what the test sends
        Files.writeString(DIR.resolve("ops-scale.yaml"), """
                apiVersion: herd/v1
                kind: WorkerPool
                metadata:
                  name: opsscale
                spec:
                  template:
                    exec: ["sleep", "3600"]
                    shutdownTimeout: 2s
                  autoscaling:
                    minReplicas: 0
                    maxReplicas: 2
                    targetQueueLengthPerReplica: 1
                    cooldown: 60s
                    scaleDownStabilization: 60s
                """);
        // never answers a ping: one failure restarts it
        Files.writeString(DIR.resolve("ops-ping.yaml"), """
                apiVersion: herd/v1
                kind: WorkerPool
                metadata:
                  name: opsping
                spec:
                  replicas: 1
                  template:
                    exec: ["sleep", "3600"]
                    shutdownTimeout: 2s
                  health:
                    pingAfterIdle: 1s
                    pingTimeout: 1s
                    failureThreshold: 1
                """);
        // Zinit refuses a worker that starts after a service it does not have: every create fails.
        // (A missing program is refused by Herd itself, before Zinit: WorkerLaunchIT.)
        Files.writeString(DIR.resolve("ops-broken.yaml"), """
                apiVersion: herd/v1
                kind: WorkerPool
                metadata:
                  name: opsbroken
                spec:
                  replicas: 1
                  template:
                    exec: ["sleep", "3600"]
                    after: [herd-no-such-service]
                """);
    }

    @AfterAll
    static void removePools() throws Exception {
        for (String f : new String[] {"ops-jobs.yaml", "ops-scale.yaml", "ops-ping.yaml", "ops-broken.yaml"}) {
            Files.deleteIfExists(DIR.resolve(f));
        }
        HeroPools.awaitGone(java.util.List.of("opsjobs", "opsscale", "opsping", "opsbroken"));
    }

    private static ValidatableResponse problem(ValidatableResponse r, int status, String type) {
        return r.statusCode(status).contentType(PROBLEM).body("status", equalTo(status))
                .body("type", equalTo("https://herd.dev/problems/" + type)).body("title", notNullValue()).body("detail", notNullValue());
    }

    @Test
    @Order(1)
    void healthProbesNameTheirChecks() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'reconcile-loop' }.data", hasKey("stuckAfterSeconds"));
        await().atMost(T).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems("desired-state", "zinit", "redis")));
        given().get("/q/health/started").then().statusCode(200).body("checks.name", hasItem("first-reconcile-pass"));
        given().get("/q/health").then().statusCode(200).body("checks.name", hasItems("reconcile-loop", "zinit", "first-reconcile-pass"));
    }

    @Test
    @Order(2)
    void poolsAndOnePoolInDetail() {
        // the health view is the monitor's, refreshed on its own tick after the loop's snapshot: wait for both
        await().atMost(T).untilAsserted(() -> given().get("/api/v1/pools/opsjobs").then().statusCode(200)
                .body("readyReplicas", equalTo(1)).body("health", hasKey("opsjobs-0")));
        given().get("/api/v1/pools").then().statusCode(200).contentType("application/json")
                .body("name", hasItems("opsjobs", "opsscale", "opsping", "opsbroken"))
                .body("find { it.name == 'opsjobs' }.desiredReplicas", equalTo(1));
        given().get("/api/v1/pools/opsjobs").then().statusCode(200)
                .body("name", equalTo("opsjobs")).body("desiredReplicas", equalTo(1)).body("currentReplicas", equalTo(1))
                .body("updatedReplicas", equalTo(1)).body("generation", greaterThan(0)).body("observedGeneration", greaterThan(0))
                .body("conditions.type", hasItem("Ready"))
                .body("workers.name", hasItem("opsjobs-0")).body("workers[0].phase", equalTo("Ready"))
                .body("health", hasKey("opsjobs-0"));
        problem(given().get("/api/v1/pools/nope").then(), 404, "unknown-pool")
                .body("detail", containsString("no pool 'nope'")).body("detail", containsString("opsjobs"));
        // a pool whose workers cannot be created says so in its conditions
        await().atMost(T).untilAsserted(() -> given().get("/api/v1/pools/opsbroken").then().statusCode(200)
                .body("conditions.find { it.type == 'Degraded' }.status", equalTo(true)));
    }

    @Test
    @Order(3)
    void eventsFilterByPoolAndLimit() {
        await().atMost(T).untilAsserted(() -> given().get("/api/v1/events?pool=opsjobs").then().statusCode(200)
                .body("reason", hasItem("Created")).body("pool", everyItem(equalTo("opsjobs"))));
        given().get("/api/v1/events?pool=opsjobs&limit=1").then().statusCode(200).body("$", hasSize(1))
                .body("[0].time", notNullValue()).body("[0].type", notNullValue()).body("[0].message", notNullValue());
        given().get("/api/v1/events").then().statusCode(200).body("pool", hasItems("opsjobs", "opsbroken"));
    }

    @Test
    @Order(4)
    void planShowsWhatANextPassWouldDo() {
        // opsbroken-0 can never be created, so every plan still wants it
        given().get("/api/v1/plan").then().statusCode(200).body("conflicts", notNullValue())
                .body("actions.find { it.pool == 'opsbroken' }.action", equalTo("CreateWorker"))
                .body("actions.find { it.pool == 'opsbroken' }.worker", equalTo("opsbroken-0"))
                .body("actions.find { it.pool == 'opsbroken' }.reason", notNullValue())
                .body("actions.pool", everyItem(notNullValue()));
    }

    @Test
    @Order(5)
    void scaleReadsSetsAndCancelsAnOverride() {
        given().get("/api/v1/pools/opsscale/scale").then().statusCode(200).body("pool", equalTo("opsscale"))
                .body("autoscaled", equalTo(true)).body("conditions.type", hasItem("ScalingActive"));
        given().contentType("application/json").body("{\"replicas\": 1, \"ttl\": \"1m\"}").put("/api/v1/pools/opsscale/scale")
                .then().statusCode(200).body("override.replicas", equalTo(1)).body("desiredReplicas", equalTo(1));
        given().delete("/api/v1/pools/opsscale/scale").then().statusCode(200).body("override", nullValue());

        problem(given().get("/api/v1/pools/nope/scale").then(), 404, "unknown-pool");
        problem(given().contentType("application/json").body("{\"replicas\": 1}").put("/api/v1/pools/nope/scale").then(), 404, "unknown-pool");
        problem(given().delete("/api/v1/pools/nope/scale").then(), 404, "unknown-pool");
        problem(given().contentType("application/json").body("{}").put("/api/v1/pools/opsscale/scale").then(), 400, "bad-scale")
                .body("detail", containsString("replicas must be a whole number from 0"));
        // an override stays within the pool's autoscaling bounds and the host's cap, or is refused with the reason
        problem(given().contentType("application/json").body("{\"replicas\": 3}").put("/api/v1/pools/opsscale/scale").then(),
                422, "scale-beyond-limits").body("detail", containsString("scales between 0 and 2"));
        problem(given().contentType("application/json").body("{\"replicas\": 100000}").put("/api/v1/pools/opsscale/scale").then(),
                422, "scale-beyond-limits").body("detail", containsString("herd.workers.max-per-host = 1000"));
        given().get("/api/v1/pools/opsscale/scale").then().statusCode(200).body("override", nullValue());
        problem(given().contentType("application/json").body("{\"replicas\": -1}").put("/api/v1/pools/opsscale/scale").then(), 400, "bad-scale");
        problem(given().contentType("application/json").body("{\"replicas\": 1, \"ttl\": \"soon\"}").put("/api/v1/pools/opsscale/scale")
                .then(), 400, "bad-scale").body("detail", containsString("ttl 'soon' is not a duration"));
        problem(given().contentType("application/json").body("{\"replicas\": 1, \"ttl\": \"1000h\"}").put("/api/v1/pools/opsscale/scale")
                .then(), 400, "bad-scale").body("detail", containsString("at most"));
        given().contentType("application/json").body("{\"replicas\": ").put("/api/v1/pools/opsscale/scale")
                .then().statusCode(400).contentType(PROBLEM);
        given().contentType("text/plain").body("5").put("/api/v1/pools/opsscale/scale").then().statusCode(415).contentType(PROBLEM);
    }

    @Test
    @Order(6)
    void jobsAreSubmittedAwaitedAndRead() {
        String id = given().contentType("application/json").body("{\"scriptType\":\"opsjobs\",\"script\":\"echo one\"}")
                .post("/api/v1/jobs").then().statusCode(201).header("Location", containsString("/api/v1/jobs/"))
                .body("status", equalTo("dispatched")).extract().path("id");
        given().get("/api/v1/jobs/" + id + "?wait=30s").then().statusCode(200).body("status", equalTo("finished"))
                .body("output", equalTo("one")).body("workerId", equalTo("opsjobs-0"));
        given().get("/api/v1/jobs/" + id).then().statusCode(200).body("id", equalTo(id)).body("pool", equalTo("opsjobs"));
        given().contentType("application/json").body("{\"pool\":\"opsjobs\",\"script\":\"echo bad >&2; exit 3\"}")
                .post("/api/v1/jobs?wait=30s").then().statusCode(200).body("status", equalTo("error"))
                .body("error", containsString("exit code 3"));
        // a wait shorter than the job: 202, and the job goes on
        given().contentType("application/json").body("{\"pool\":\"opsjobs\",\"script\":\"sleep 2\"}")
                .post("/api/v1/jobs?wait=100ms").then().statusCode(202).body("status", org.hamcrest.Matchers.oneOf("dispatched", "started"));

        problem(given().get("/api/v1/jobs/00000000-0000-0000-0000-000000000000").then(), 404, "unknown-job");
        problem(given().contentType("application/json").body("{\"scriptType\":\"nope\",\"script\":\"x\"}").post("/api/v1/jobs").then(),
                422, "unroutable-job").body("detail", containsString("opsjobs"));
        problem(given().contentType("application/json").body("{\"pool\":\"nope\",\"script\":\"x\"}").post("/api/v1/jobs").then(),
                422, "unroutable-job").body("detail", containsString("no pool serves pool 'nope'"));
        problem(given().contentType("application/json").body("{\"scriptType\":\"opsjobs\"}").post("/api/v1/jobs").then(), 400, "bad-job")
                .body("detail", containsString("a job needs a script"));
        problem(given().contentType("application/json").body("{\"scriptType\":\"opsjobs\",\"script\":\"x\"}").post("/api/v1/jobs?wait=soon")
                .then(), 400, "bad-job").body("detail", containsString("wait must be a duration"));
        problem(given().contentType("application/json").body("{\"scriptType\":\"opsjobs\",\"script\":\"x\"}").post("/api/v1/jobs?wait=11m")
                .then(), 400, "bad-job").body("detail", containsString("wait is at most 10m"));
        problem(given().contentType("application/json").body("{\"scriptType\":\"opsjobs\",\"script\":\"x\",\"timeout\":\"later\"}")
                .post("/api/v1/jobs").then(), 400, "bad-job").body("detail", containsString("timeout must be a duration"));
        given().contentType("application/json").body("not json").post("/api/v1/jobs").then().statusCode(400).contentType(PROBLEM);
    }

    @Test
    @Order(7)
    void unknownPathsAndTheOpenApiDocument() {
        problem(given().get("/api/v1/nope").then(), 404, "not-found").body("detail", containsString("/q/openapi"));
        given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .body("paths", hasKey("/api/v1/pools")).body("paths", hasKey("/api/v1/pools/{name}"))
                .body("paths", hasKey("/api/v1/pools/{name}/scale")).body("paths", hasKey("/api/v1/events"))
                .body("paths", hasKey("/api/v1/plan")).body("paths", hasKey("/api/v1/jobs")).body("paths", hasKey("/api/v1/jobs/{id}"))
                .body("paths.'/api/v1/pools/{name}/scale'", hasKey("put")).body("paths.'/api/v1/pools/{name}/scale'", hasKey("delete"));
    }

    @Test
    @Order(8)
    void metricsMoveWithWhatHerdDid() {
        // the unanswered pings of opsping end in a restart, and the queue of opsscale in a scale-up
        given().contentType("application/json").body("{\"pool\":\"opsscale\",\"script\":\"x\"}").post("/api/v1/jobs").then().statusCode(201);
        given().contentType("application/json").body("{\"pool\":\"opsscale\",\"script\":\"x\"}").post("/api/v1/jobs").then().statusCode(201);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Metrics m = Metrics.scrape();
            assertThat(m.sum("herd_reconcile_pass_seconds_count", Map.of())).isPositive();
            assertThat(m.has("herd_reconcile_pass_seconds_bucket", Map.of())).isTrue();
            assertThat(m.sum("herd_reconcile_errors_total", Map.of("cause", "action-failed"))).isPositive();
            assertThat(m.sum("herd_reconcile_actions_total", Map.of("pool", "opsbroken", "outcome", "failed"))).isPositive();
            assertThat(m.sum("herd_zinit_call_seconds_count", Map.of("method", "list", "outcome", "ok"))).isPositive();
            assertThat(m.sum("herd_zinit_call_seconds_count", Map.of("method", "create", "outcome", "ok"))).isPositive();
            assertThat(m.has("herd_zinit_call_seconds_bucket", Map.of("method", "list"))).isTrue();
            assertThat(m.sum("herd_zinit_call_errors_total", Map.of("method", "create"))).isPositive();
            assertThat(m.sum("herd_pool_replicas", Map.of("pool", "opsjobs", "kind", "desired"))).isEqualTo(1);
            assertThat(m.sum("herd_pool_replicas", Map.of("pool", "opsjobs", "kind", "current"))).isEqualTo(1);
            assertThat(m.sum("herd_pool_replicas", Map.of("pool", "opsjobs", "kind", "ready"))).isEqualTo(1);
            assertThat(m.sum("herd_pool_replicas", Map.of("pool", "opsbroken", "kind", "ready"))).isZero();
            assertThat(m.sum("herd_scaling_queued", Map.of("pool", "opsscale"))).isEqualTo(2);
            assertThat(m.has("herd_scaling_queued", Map.of("pool", "opsjobs"))).as("a fixed-count pool's queue").isTrue();
            assertThat(m.has("herd_scaling_inflight", Map.of("pool", "opsjobs"))).isTrue();
            assertThat(m.has("herd_scaling_inflight", Map.of("pool", "opsscale"))).isTrue();
            assertThat(m.sum("herd_scaling_decisions_total", Map.of("pool", "opsscale", "direction", "up"))).isPositive();
            assertThat(m.sum("herd_worker_ping_failures_total", Map.of("pool", "opsping"))).isPositive();
            assertThat(m.sum("herd_worker_ping_restarts_total", Map.of("pool", "opsping"))).isPositive();
            assertThat(m.sum("herd_worker_restarts_total", Map.of("pool", "opsping"))).isPositive();
            assertThat(m.sum("herd_jobs_dispatched_total", Map.of("pool", "opsjobs"))).isGreaterThanOrEqualTo(3);
            assertThat(m.sum("herd_jobs_completed_total", Map.of("pool", "opsjobs", "outcome", "finished"))).isGreaterThanOrEqualTo(2);
            assertThat(m.sum("herd_jobs_completed_total", Map.of("pool", "opsjobs", "outcome", "error"))).isGreaterThanOrEqualTo(1);
            assertThat(m.sum("herd_jobs_latency_seconds_count", Map.of("pool", "opsjobs", "outcome", "finished"))).isGreaterThanOrEqualTo(2);
            assertThat(m.sum("herd_events_total", Map.of("pool", "opsjobs", "reason", "Created"))).isPositive();
        });
        // low cardinality: no series is labelled with a worker or a job
        Metrics.scrape().lines().filter(l -> l.startsWith("herd_")).forEach(l ->
                assertThat(l).doesNotContain("worker=\"").doesNotContain("id=\"").doesNotContain("opsjobs-0"));
    }
}
