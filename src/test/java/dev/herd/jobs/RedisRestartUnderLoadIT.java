package dev.herd.jobs;

import static dev.herd.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.herd.testing.HeroPools;
import dev.herd.testing.OwnServers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Redis restarted without persistence while workers are busy: the workers are alive (Zinit runs
 * them, their processes exist), so nothing that Redis forgot — their status hashes, the jobs in
 * hand, Herd's own pings — may get them declared dead. No job runs a second time, no live worker
 * is restarted, and the loss is reported.
 */
@QuarkusTest
@TestProfile(RedisRestartUnderLoadIT.OwnRedis.class)
class RedisRestartUnderLoadIT {
    private static final Duration T = Duration.ofSeconds(60);
    private static final Path RUNS = runsFile();

    public static final class Servers extends OwnServers {
        @Override
        protected String controllerId() {
            return "herd-restart-test";
        }

        @Override
        protected void writePools(Path desired) throws IOException {
            // quick to suspect a silent worker: pinged after 1 s idle, restarted after 2 failed pings of 2 s
            Files.writeString(desired.resolve("steady.yaml"), """
                    apiVersion: herd/v1
                    kind: WorkerPool
                    metadata: {name: steady}
                    spec:
                      replicas: 2
                      health: {pingAfterIdle: 1s, pingTimeout: 2s, failureThreshold: 2}
                      template:
                        exec: HERO_EXEC
                    """.replace("HERO_EXEC", HeroPools.EXEC));
        }
    }

    public static final class OwnRedis extends OwnServers.Only {
        public OwnRedis() {
            super(Servers.class);
        }
    }

    private static Path runsFile() {
        try {
            Path file = Files.createTempFile("herd-runs-", ".txt");
            file.toFile().setWritable(true, false); // the workers run as another user
            return file;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aRedisRestartUnderLoadRunsNoJobTwiceAndRestartsNoLiveWorker() throws Exception {
        await().atMost(T).untilAsserted(() -> given().get("/api/v1/pools/steady").then().body("readyReplicas", equalTo(2)));
        List<Integer> pids = given().get("/api/v1/pools/steady").then().extract().path("workers.pid");

        // each run of a job leaves a line; 2 run at once, 2 wait in the queue
        for (int i = 0; i < 4; i++) {
            given().contentType("application/json").body(Map.of("pool", "steady", "retries", 3,
                    "script", "echo \"$HERD_JOB_ID\" >> " + RUNS + "; sleep 8")).post("/api/v1/jobs").then().statusCode(201);
        }
        await().atMost(T).until(() -> Files.readAllLines(RUNS).size() == 2);

        OwnServers.of(Servers.class).redis().stop();
        java.time.Instant restarted = java.time.Instant.now();
        OwnServers.of(Servers.class).redis().launch(); // the same port, an empty key space

        await().atMost(T).untilAsserted(() -> given().get("/api/v1/events").then().body("reason", hasItem("RedisDataLost")));
        // the two jobs in hand finish (their records are gone, so nobody reads the result); the two queued
        // were lost with the queue. Then every worker idles long enough to be pinged, and answers.
        Thread.sleep(15_000);
        Map<String, Long> runs = Files.readAllLines(RUNS).stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(runs).as("runs per job").hasSize(2).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
        List<String> reasons = given().get("/api/v1/events?pool=steady").then().extract().path("reason");
        assertThat(reasons).doesNotContain("Restarted", "JobRequeued", "RestartFailed");
        assertThat(given().get("/api/v1/pools/steady").then().extract().<List<Integer>>path("workers.pid")).isEqualTo(pids);
        given().get("/api/v1/pools/steady").then().body("readyReplicas", equalTo(2));
        // and they were put to the test: pinged after the loss, each answered
        Map<String, Map<String, Object>> health = given().get("/api/v1/pools/steady").then().extract().path("health");
        assertThat(health).hasSize(2).allSatisfy((worker, h) -> {
            assertThat(h.get("lastPingOk")).as(worker + " answered a ping").isNotNull();
            assertThat(java.time.Instant.parse((String) h.get("lastPingOk"))).as(worker).isAfter(restarted);
        });
    }
}
