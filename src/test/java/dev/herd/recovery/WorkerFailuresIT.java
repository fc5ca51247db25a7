package dev.herd.recovery;

import static dev.herd.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herd.testing.PrivateServersResource;
import dev.herd.testing.HeroPools;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Workers that die or hang, with real Redis, zinit-server and reference workers: a job whose
 * worker is killed is retried (or failed with the reason), and a frozen worker is restarted after
 * exactly failureThreshold failed pings.
 */
@QuarkusTest
@QuarkusTestResource(value = PrivateServersResource.class, restrictToAnnotatedClass = false)
class WorkerFailuresIT {
    private static final String KILLED = "fail-kill";
    private static final String FROZEN = "fail-freeze";
    private static final String SHRUNK = "fail-shrink";

    @Inject
    RedisDataSource redis;

    @BeforeAll
    static void writePools() {
        HeroPools.write(KILLED, 1, "");
        HeroPools.write(FROZEN, 1, """
                health:
                  pingAfterIdle: 1s
                  pingTimeout: 2s
                  failureThreshold: 3
                """);
        // long enough for the job in hand: a removed worker gets shutdownTimeout to finish it, then SIGKILL
        HeroPools.write(SHRUNK, 2, "", "15s");
    }

    @AfterAll
    static void removePools() {
        HeroPools.remove(KILLED);
        HeroPools.remove(FROZEN);
        HeroPools.remove(SHRUNK);
        HeroPools.awaitGone(java.util.List.of(KILLED, FROZEN, SHRUNK));
    }

    @Test
    void scaleInHandsBackTheRemovedWorkersOwnQueueAndLetsItFinishTheJobInHand() {
        HeroPools.awaitReady(SHRUNK, 2);
        String removed = SHRUNK + "-1";
        String inHand = queueFor(removed, "sleep 4; echo finished in hand");
        await().atMost(Duration.ofSeconds(10)).until(() -> "started".equals(job(inHand).get("status")));
        String waiting = queueFor(removed, "echo handed back");
        HeroPools.write(SHRUNK, 1, "", "15s");
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
            assertThat(job(waiting)).containsEntry("status", "finished").containsEntry("worker_id", SHRUNK + "-0");
            assertThat(job(inHand)).containsEntry("status", "finished").containsEntry("worker_id", removed);
        });
        // the worker went on with the job in hand after its stop (Zinit counted it gone at once); nobody took it from it
        assertThat(redis.list(String.class).lrange("hero:reply:" + inHand, 0, -1)).containsExactly("finished");
        assertThat(job(inHand)).containsEntry("attempts", "0");
        assertThat(redis.list(String.class).llen("hero:work_queue:" + removed)).isZero();
        assertThat(events(SHRUNK)).anySatisfy(e -> assertThat(e).containsEntry("reason", "JobRequeued")
                .extractingByKey("message").asString().contains(waiting).contains("queued for worker " + removed + ", which was removed"));
    }

    /** A job on one worker's own queue, written as JobService does (pool field set). */
    private String queueFor(String worker, String script) {
        String id = java.util.UUID.randomUUID().toString();
        redis.hash(String.class).hset("hero:job:" + id, Map.of("id", id, "script", script, "timeout", "30", "retries", "1",
                "attempts", "0", "pool", SHRUNK, "status", "dispatched", "env_vars", "{}"));
        redis.list(String.class).lpush("hero:work_queue:" + worker, id);
        return id;
    }

    @Test
    void aJobWhoseWorkerIsKilledIsRetriedAndWithoutRetriesFailsWithTheReason() {
        HeroPools.awaitReady(KILLED, 1);

        String retried = submit("sleep 3; echo survived", 1);
        long pid = killWorkerRunning(retried);
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() ->
                assertThat(job(retried)).containsEntry("status", "finished").containsEntry("output", "survived").containsEntry("attempts", "1"));
        assertThat(ProcessHandle.of(pid)).isEmpty();
        assertThat(events(KILLED)).anySatisfy(e -> assertThat(e).containsEntry("reason", "JobRequeued")
                .extractingByKey("message").asString().contains(retried).contains("died while running it; retry 1 of 1"));

        HeroPools.awaitReady(KILLED, 1);
        String failed = submit("sleep 3; echo never", 0);
        killWorkerRunning(failed);
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() ->
                assertThat(job(failed)).containsEntry("status", "error").containsEntry("attempts", "0"));
        assertThat(job(failed).get("error")).matches("worker fail-kill-0 died while running it; the job allows no retries \\(retries 0\\)");
        assertThat(redis.list(String.class).lrange("hero:reply:" + failed, 0, -1)).containsExactly("error");
        assertThat(redis.list(String.class).llen("herd:processing:fail-kill-0")).isZero();
    }

    @Test
    void aFrozenWorkerFailsItsPingsAndIsRestartedAfterExactlyThreeFailures() throws Exception {
        HeroPools.awaitReady(FROZEN, 1);
        String worker = FROZEN + "-0";
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(given().get("/api/v1/pools/" + FROZEN).then().statusCode(200).extract()
                        .<String>path("health.'" + worker + "'.lastPingOk")).isNotNull());
        long pid = Long.parseLong(redis.hash(String.class).hget("herd:worker:" + worker, "pid"));
        Instant frozenAt = Instant.now();
        signal("STOP", pid);
        try {
            await().atMost(Duration.ofSeconds(45)).until(() -> events(FROZEN).stream().anyMatch(e -> "Restarted".equals(e.get("reason"))));
            List<Map<String, String>> since = events(FROZEN).stream()
                    .filter(e -> Instant.parse(e.get("time")).isAfter(frozenAt) && worker.equals(e.get("worker"))).toList();
            List<String> reasons = since.stream().map(e -> e.get("reason")).filter(r -> r.equals("PingFailed") || r.equals("Restarted")).toList();
            assertThat(reasons).startsWith("PingFailed", "PingFailed", "PingFailed", "Restarted");
            assertThat(since.stream().filter(e -> "PingFailed".equals(e.get("reason"))).limit(3).map(e -> e.get("message")))
                    .satisfiesExactly(m -> assertThat(m).endsWith("(1/3)"), m -> assertThat(m).endsWith("(2/3)"),
                            m -> assertThat(m).endsWith("(3/3)"));
            await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(pid).isEmpty());
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonPath pool = given().get("/api/v1/pools/" + FROZEN).then().statusCode(200).extract().jsonPath();
                assertThat(pool.getInt("readyReplicas")).isEqualTo(1);
                assertThat(pool.getInt("health.'" + worker + "'.restarts")).isEqualTo(1);
                assertThat(pool.getString("health.'" + worker + "'.status")).isIn("Healthy", "Pinging");
                assertThat(redis.hash(String.class).hget("herd:worker:" + worker, "pid")).isNotEqualTo(Long.toString(pid));
            });
        } finally {
            if (ProcessHandle.of(pid).isPresent()) {
                signal("CONT", pid);
            }
        }
    }

    private String submit(String script, int retries) {
        return given().contentType("application/json")
                .body(Map.of("scriptType", KILLED, "script", script, "retries", retries, "timeout", "30s"))
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
    }

    /** Waits until the job runs, then SIGKILLs the worker process (not its job) running it; its pid. */
    private long killWorkerRunning(String id) {
        await().atMost(Duration.ofSeconds(20)).until(() -> "started".equals(job(id).get("status")));
        String worker = job(id).get("worker_id");
        long pid = Long.parseLong(redis.hash(String.class).hget("herd:worker:" + worker, "pid"));
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly)).contains(true);
        return pid;
    }

    private Map<String, String> job(String id) {
        return redis.hash(String.class).hgetall("hero:job:" + id);
    }

    private static List<Map<String, String>> events(String pool) {
        return given().get("/api/v1/events?limit=500&pool=" + pool).then().statusCode(200).extract().jsonPath().getList("$");
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor()).isZero();
    }
}
