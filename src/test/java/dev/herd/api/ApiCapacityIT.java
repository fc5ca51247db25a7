package dev.herd.api;

import static dev.herd.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import dev.herd.testing.Api;
import dev.herd.testing.HeroPools;
import dev.herd.testing.PrivateServersResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Requests that hold something while they last (a wait on a job, a followed log) are counted and capped. */
@QuarkusTest
@TestProfile(ApiCapacityIT.SmallCaps.class)
@QuarkusTestResource(value = PrivateServersResource.class, restrictToAnnotatedClass = false)
class ApiCapacityIT {
    private static final Duration T = Duration.ofSeconds(40);

    public static final class SmallCaps implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("herd.api.max-waiters", "2", "herd.api.max-log-followers", "1");
        }
    }

    @TestHTTPResource("/")
    URL base;

    @BeforeAll
    static void pools() {
        HeroPools.write("capwait", 0, ""); // no workers: its jobs stay queued
        HeroPools.write("capfollow", 1, "");
    }

    @AfterAll
    static void removePools() {
        HeroPools.remove("capwait");
        HeroPools.remove("capfollow");
        HeroPools.awaitGone(List.of("capwait", "capfollow"));
    }

    @Test
    void waitersBeyondTheCapAreRefusedAndTheCapFreesAsTheyEnd() throws Exception {
        await().atMost(T).untilAsserted(() -> given().get("/api/v1/pools/capwait").then().statusCode(200));
        String id = given().contentType("application/json").body("{\"pool\":\"capwait\",\"script\":\"echo never\"}")
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        List<CompletableFuture<Integer>> waiting = List.of(
                CompletableFuture.supplyAsync(() -> given().get("/api/v1/jobs/" + id + "?wait=4s").statusCode()),
                CompletableFuture.supplyAsync(() -> given().get("/api/v1/jobs/" + id + "?wait=4s").statusCode()));
        await().atMost(T).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                given().get("/api/v1/jobs/" + id + "?wait=10ms").then().statusCode(429).contentType("application/problem+json")
                        .body("detail", containsString("herd.api.max-waiters")));
        // a submission that would wait is refused before it is queued: retrying it cannot run it twice
        String queued = dev.herd.testing.PrivateServers.redis().cli("LLEN", "hero:work_queue:capwait");
        given().contentType("application/json").body("{\"pool\":\"capwait\",\"script\":\"echo refused\"}")
                .post("/api/v1/jobs?wait=1s").then().statusCode(429);
        assertThat(dev.herd.testing.PrivateServers.redis().cli("LLEN", "hero:work_queue:capwait")).isEqualTo(queued);
        assertThat(waiting.stream().map(CompletableFuture::join).toList()).containsExactly(202, 202);
        given().get("/api/v1/jobs/" + id + "?wait=10ms").then().statusCode(202);
    }

    @Test
    void followedLogsBeyondTheCapAreRefusedAndTheCapFreesWhenOneEnds() throws Exception {
        HeroPools.awaitReady("capfollow", 1);
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest follow = Api.authorized(HttpRequest.newBuilder(URI.create(base + "api/v1/pools/capfollow/logs?follow=true&lines=1")),
                Api.TOKEN).build();
        HttpResponse<InputStream> first = http.send(follow, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(first.statusCode()).isEqualTo(200);
        given().get("/api/v1/pools/capfollow/logs?follow=true").then().statusCode(429).contentType("application/problem+json")
                .body("detail", containsString("herd.api.max-log-followers"));
        given().get("/api/v1/pools/capfollow/logs?lines=5").then().statusCode(200); // a snapshot is not following
        first.body().close(); // the client hangs up: its place is free again
        await().atMost(T).pollInterval(Duration.ofMillis(100)).until(() -> {
            HttpResponse<InputStream> again = http.send(follow, HttpResponse.BodyHandlers.ofInputStream());
            again.body().close();
            return again.statusCode() == 200;
        });
    }
}
