package dev.herd.jobs;

import static dev.herd.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.herd.testing.PrivateServers;
import dev.herd.testing.PrivateServersResource;
import dev.herd.testing.HeroPools;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Jobs end to end: HTTP, real Redis, the real zinit-server and real reference workers. */
@QuarkusTest
@QuarkusTestResource(value = PrivateServersResource.class, restrictToAnnotatedClass = false)
class JobsFlowIT {
    private static final List<String> POOLS = List.of("flow-a", "flow-b", "flow-c");

    @Inject
    RedisDataSource redis;

    @BeforeAll
    static void writePools() {
        POOLS.forEach(p -> HeroPools.write(p, 2, ""));
    }

    @AfterAll
    static void removePools() {
        POOLS.forEach(HeroPools::remove);
        HeroPools.awaitGone(POOLS);
    }

    @Test
    void aThousandJobsOverHttpAcrossThreePoolsEachFinishExactlyOnce() {
        POOLS.forEach(p -> HeroPools.awaitReady(p, 2));
        List<String> ids = new ArrayList<>();
        Map<String, String> poolOf = new java.util.HashMap<>();
        for (int i = 0; i < 1000; i++) {
            String pool = POOLS.get(i % 3);
            String id = given().contentType("application/json")
                    .body(Map.of("scriptType", pool, "script", "echo \"$HERD_JOB_ID\"", "timeout", "30s"))
                    .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
            ids.add(id);
            poolOf.put(id, pool);
        }
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(ids.stream().filter(id -> !"finished".equals(redis.hash(String.class).hget("hero:job:" + id, "status"))).count())
                        .isZero());
        for (String id : ids) {
            Map<String, String> job = redis.hash(String.class).hgetall("hero:job:" + id);
            assertThat(job.get("status")).isEqualTo("finished");
            assertThat(job.get("output")).isEqualTo(id);
            assertThat(job.get("worker_id")).startsWith(poolOf.get(id) + "-");
            assertThat(job.get("attempts")).isEqualTo("0");
            // the worker pushes one reply per run: one reply means the job was taken exactly once
            assertThat(redis.list(String.class).lrange("hero:reply:" + id, 0, -1)).as("replies of %s", id).containsExactly("finished");
        }
        for (int i = 0; i < ids.size(); i += 10) {
            given().get("/api/v1/jobs/" + ids.get(i)).then().statusCode(200)
                    .body("status", equalTo("finished")).body("output", equalTo(ids.get(i)));
        }
        POOLS.forEach(p -> assertThat(redis.list(String.class).llen("hero:work_queue:" + p)).isZero());
    }

    @Test
    void aJobPushedWithRedisCliAloneIsRunAndTheReplyAppearsWhereTheClientWaits() throws Exception {
        HeroPools.awaitReady("flow-a", 2);
        String id = UUID.randomUUID().toString();
        String now = java.time.Instant.now().toString();
        // a client that knows nothing of Herd: the original design's hash and keys, nothing more
        redisCli("HSET", "hero:job:" + id, "id", id, "caller_id", "plain-client", "context_id", "ctx", "worker_id", "",
                "script", "echo plain client says hi", "script_type", "flow-a", "timeout", "30", "retries", "0",
                "concurrent", "false", "log_path", "", "env_vars", "{}", "created_at", now, "updated_at", now,
                "status", "dispatched", "output", "", "error", "");
        redisCli("LPUSH", "hero:work_queue:flow-a", id);
        String reply = redisCli("BLPOP", "hero:reply:" + id, "20");
        assertThat(reply.lines().toList()).containsExactly("hero:reply:" + id, "finished");
        assertThat(redisCli("HGET", "hero:job:" + id, "output").strip()).isEqualTo("plain client says hi");
        assertThat(redisCli("HGET", "hero:job:" + id, "worker_id").strip()).startsWith("flow-a-");
    }

    @Test
    void aJobForAScriptTypeNoPoolServesIsRefusedAndSaysWhatToDo() {
        HeroPools.awaitReady("flow-a", 2);
        given().contentType("application/json").body(Map.of("scriptType", "cobol", "script", "x"))
                .post("/api/v1/jobs").then().statusCode(422).contentType("application/problem+json")
                .body("title", equalTo("No pool serves this job"))
                .body("detail", containsString("no pool serves script type 'cobol'"))
                .body("detail", containsString("flow-a (scriptType flow-a)"))
                .body("detail", containsString("Add a WorkerPool for it to desired-state/"));
        given().contentType("application/json").body(Map.of("pool", "nope", "script", "x"))
                .post("/api/v1/jobs").then().statusCode(422).body("detail", containsString("no pool serves pool 'nope'"));
    }

    /** Runs redis-cli against the run's Redis and returns what it printed (raw). */
    static String redisCli(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-u", PrivateServers.redis().url(), "--raw"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("redis-cli %s: %s", List.of(args), out).isZero();
        return out;
    }
}
