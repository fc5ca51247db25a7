package dev.herd.jobs;

import static dev.herd.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herd.testing.HeroPools;
import dev.herd.testing.PrivateServers;
import dev.herd.testing.PrivateServersResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Redis holds finished jobs for their retention only, as Kubernetes' ttlSecondsAfterFinished does:
 * after a burst of jobs, and the pings of an idle pool, the job and reply keys go back to where
 * they were. A job may keep its record longer than the default.
 */
@QuarkusTest
@TestProfile(JobRetentionIT.ShortRetention.class)
@QuarkusTestResource(value = PrivateServersResource.class, restrictToAnnotatedClass = false)
class JobRetentionIT {
    private static final Duration T = Duration.ofSeconds(60);

    public static final class ShortRetention implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("herd.jobs.retention", "10s"); // the shortest Herd keeps a job
        }
    }

    private static final String HEALTH = """
            health:
              pingAfterIdle: 1s
              pingTimeout: 2s
              failureThreshold: 3
            """;

    @BeforeAll
    static void pool() {
        HeroPools.write("kept", 0, HEALTH); // no workers yet: the burst waits in the queue until they come
    }

    @AfterAll
    static void removePool() {
        HeroPools.remove("kept");
        HeroPools.awaitGone(List.of("kept"));
    }

    private static int jobKeys() throws Exception {
        String keys = PrivateServers.redis().cli("EVAL",
                "return #redis.call('KEYS', 'hero:job:*') + #redis.call('KEYS', 'hero:reply:*')", "0");
        return Integer.parseInt(keys);
    }

    private static String leftovers() {
        try {
            return PrivateServers.redis().cli("EVAL", "local out = {} for _, k in ipairs(redis.call('KEYS', 'hero:*')) do"
                    + " table.insert(out, k .. '=' .. redis.call('TTL', k) .. '/' .. tostring(redis.call('HGET', k, 'status') or '')) end"
                    + " return out", "0");
        } catch (Exception e) {
            return e.toString();
        }
    }

    @Test
    void afterABurstTheJobKeysReturnToTheirBaseline() throws Exception {
        await().atMost(T).untilAsserted(() -> given().get("/api/v1/pools/kept").then().statusCode(200));
        int baseline = jobKeys();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(given().contentType("application/json").body("{\"pool\":\"kept\",\"script\":\"echo " + i + "\"}")
                    .post("/api/v1/jobs").then().statusCode(201).extract().path("id"));
        }
        String kept = given().contentType("application/json").body("{\"pool\":\"kept\",\"script\":\"echo keep\",\"retention\":\"10m\"}")
                .post("/api/v1/jobs").then().statusCode(201).extract().<String>path("id");
        // all awaited at once: a waiter sees its job within 250 ms of its end, well inside the 10 s it is kept
        List<java.util.concurrent.CompletableFuture<Integer>> waits = new ArrayList<>();
        for (String id : ids) {
            waits.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> given().get("/api/v1/jobs/" + id + "?wait=30s").statusCode()));
        }
        HeroPools.write("kept", 2, HEALTH);
        assertThat(waits.stream().map(java.util.concurrent.CompletableFuture::join).toList()).allMatch(status -> status == 200);
        given().get("/api/v1/jobs/" + kept + "?wait=30s").then().statusCode(200);
        long ttl = Long.parseLong(PrivateServers.redis().cli("TTL", "hero:job:" + kept));
        assertThat(ttl).as("the job's own retention").isBetween(500L, 600L);

        // the default retention is 10s here; pings come and go meanwhile (the pool idles with pings every second)
        // at most: the kept job and its reply, and per worker a ping in flight with its reply
        int most = baseline + 2 + 2 * 2;
        await().atMost(T).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> assertThat(jobKeys())
                .as(() -> "keys and their TTLs: " + leftovers()).isLessThanOrEqualTo(most));
        for (int i = 0; i < 10; i++) { // and it stays there while the pings go on
            assertThat(jobKeys()).as(() -> "keys and their TTLs: " + leftovers()).isLessThanOrEqualTo(most);
            Thread.sleep(400);
        }
        given().get("/api/v1/jobs/" + ids.get(0)).then().statusCode(404);
        given().get("/api/v1/jobs/" + kept).then().statusCode(200);
    }
}
