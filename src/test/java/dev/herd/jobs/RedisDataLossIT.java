package dev.herd.jobs;

import static dev.herd.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
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
import org.junit.jupiter.api.Test;

/**
 * Redis restarted without persistence loses every job Herd dispatched and had not seen end. Herd
 * notices (its marker key is gone, the jobs' records too) and says so: a Warning event with the
 * count and the fix, a metric, and the readiness check's details.
 */
@QuarkusTest
@TestProfile(RedisDataLossIT.OwnRedis.class)
class RedisDataLossIT {
    private static final Duration T = Duration.ofSeconds(30);

    public static final class Servers extends OwnServers {
        @Override
        protected String controllerId() {
            return "herd-loss-test";
        }

        @Override
        protected void writePools(Path desired) throws IOException {
            Files.writeString(desired.resolve("lossy.yaml"), """
                    apiVersion: herd/v1
                    kind: WorkerPool
                    metadata: {name: lossy}
                    spec:
                      replicas: 0
                      template:
                        exec: HERO_EXEC
                    """.replace("HERO_EXEC", HeroPools.EXEC)); // no persistence in its Redis, as a careless production one
        }
    }

    public static final class OwnRedis extends OwnServers.Only {
        public OwnRedis() {
            super(Servers.class);
        }
    }

    @Test
    void aRedisThatLostItsDataIsReportedWithTheJobsThatVanished() throws Exception {
        await().atMost(T).untilAsserted(() -> given().get("/api/v1/pools/lossy").then().statusCode(200));
        for (int i = 0; i < 3; i++) { // the pool has no workers: they wait in its queue
            given().contentType("application/json").body("{\"pool\":\"lossy\",\"script\":\"echo lost\"}").post("/api/v1/jobs")
                    .then().statusCode(201);
        }
        await().atMost(T).until(() -> OwnServers.of(Servers.class).redis().cli("EXISTS", "herd:marker:herd-loss-test").equals("1"));

        OwnServers.of(Servers.class).redis().stop();
        OwnServers.of(Servers.class).redis().launch(); // the same port, an empty key space

        await().atMost(T).untilAsserted(() -> given().get("/api/v1/events").then().statusCode(200)
                .body("reason", hasItem("RedisDataLost")));
        String message = given().get("/api/v1/events").then().extract().path("find { it.reason == 'RedisDataLost' }.message");
        assertThat(message).contains("Redis lost its data").contains("appendonly yes");
        await().atMost(T).untilAsserted(() -> assertThat(lostJobs()).isEqualTo(3.0));
        given().get("/q/health/ready").then().body("checks.find { it.name == 'redis' }.data.dataLost", containsString("vanished"));
        assertThat(given().get("/q/metrics").asString()).contains("herd_redis_data_losses_total");
        // the marker is back: no second report for the same loss
        Thread.sleep(2500);
        assertThat(given().get("/api/v1/events").then().extract().<List<String>>path("reason").stream()
                .filter("RedisDataLost"::equals).count()).isLessThanOrEqualTo(2); // the marker, and the jobs, may be told apart
        given().get("/q/health/ready").then().body("checks.find { it.name == 'redis' }.status", equalTo("UP"));
    }

    private static double lostJobs() {
        return given().get("/q/metrics").asString().lines().filter(l -> l.startsWith("herd_jobs_lost_total{") && l.contains("pool=\"lossy\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
