package dev.herd.reconcile;

import static dev.herd.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.herd.testing.HeroPools;
import dev.herd.testing.PrivateServers;
import dev.herd.testing.PrivateServersResource;
import dev.herd.zinit.ServiceStatus;
import dev.herd.zinit.ZinitClient;
import dev.herd.zinit.ZinitClients;
import dev.herd.zinit.transport.JsonRpcTransport;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * No runaway, on a real zinit-server: an override beyond the host's cap is refused, a pool that
 * wants more than the host may run stops at the cap and says so, and a withdrawn override stops
 * creation within the pass that was under way (slow start: each pass creates at most as many as
 * all the passes before it, plus one).
 */
@QuarkusTest
@TestProfile(CreationLimitsIT.SmallHost.class)
@QuarkusTestResource(value = PrivateServersResource.class, restrictToAnnotatedClass = false)
class CreationLimitsIT {
    private static final int CAP = 8;
    private static final Duration T = Duration.ofSeconds(60);

    public static final class SmallHost implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("herd.workers.max-per-host", Integer.toString(CAP));
        }
    }

    @AfterAll
    static void removePools() {
        HeroPools.remove("capped");
        HeroPools.remove("withdrawn");
        HeroPools.awaitGone(List.of("capped", "withdrawn"));
    }

    private static List<String> services(ZinitClient zinit, String pool) {
        return zinit.list().await().atMost(T).stream().map(ServiceStatus::name).filter(n -> n.startsWith(pool + "-")).toList();
    }

    private static long running(ZinitClient zinit, String pool) {
        return zinit.list().await().atMost(T).stream().filter(s -> s.name().startsWith(pool + "-") && s.state().hasProcess()).count();
    }

    private static ZinitClient zinit() {
        return ZinitClients.connect(PrivateServers.zinit().socket(), "v0.3", Duration.ofSeconds(10), JsonRpcTransport.Options.defaults());
    }

    @Test
    void aWithdrawnOverrideStopsCreationWithinThePassUnderWay() {
        HeroPools.write("withdrawn", 0, "");
        await().atMost(T).untilAsserted(() -> given().get("/api/v1/pools/withdrawn/scale").then().statusCode(200));
        given().contentType("application/json").body("{\"replicas\": " + (CAP + 1) + "}").put("/api/v1/pools/withdrawn/scale").then()
                .statusCode(422).body("detail", containsString("herd.workers.max-per-host = " + CAP));

        try (ZinitClient zinit = zinit()) {
            given().contentType("application/json").body("{\"replicas\": " + CAP + ", \"ttl\": \"5m\"}")
                    .put("/api/v1/pools/withdrawn/scale").then().statusCode(200);
            given().delete("/api/v1/pools/withdrawn/scale").then().statusCode(200);
            int atWithdrawal = services(zinit, "withdrawn").size();
            // the pass under way may finish its batch (at most all before it plus one); none after it creates
            AtomicInteger most = new AtomicInteger();
            await().atMost(T).pollInterval(Duration.ofMillis(20)).until(() -> {
                most.accumulateAndGet(services(zinit, "withdrawn").size(), Math::max);
                // removed: none runs (a service may stay stopped, parked behind a running one)
                return running(zinit, "withdrawn") == 0 && most.get() >= atWithdrawal;
            });
            assertThat(most.get()).as("workers created in all, withdrawn when %d existed", atWithdrawal)
                    .isLessThanOrEqualTo(2 * atWithdrawal + 1);
        }
    }

    @Test
    void aPoolThatWantsMoreThanTheHostMayRunStopsAtTheCapAndSaysSo() {
        try (ZinitClient zinit = zinit()) {
            HeroPools.write("capped", CAP + 4, "");
            AtomicInteger most = new AtomicInteger();
            await().atMost(T).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                most.accumulateAndGet(services(zinit, "capped").size(), Math::max);
                given().get("/api/v1/pools/capped").then().statusCode(200)
                        .body("conditions.find { it.type == 'HostCapacity' }.status", equalTo(true))
                        .body("conditions.find { it.type == 'HostCapacity' }.message", containsString("herd.workers.max-per-host"));
            });
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                    .until(() -> most.accumulateAndGet(services(zinit, "capped").size(), Math::max) <= CAP);
            assertThat(most.get()).isLessThanOrEqualTo(CAP);
            given().get("/api/v1/events?pool=capped").then().statusCode(200).body("reason", hasItem("HostCapacityReached"));

            HeroPools.write("capped", 2, "");
            await().atMost(T).untilAsserted(() -> given().get("/api/v1/pools/capped").then().statusCode(200)
                    .body("conditions.find { it.type == 'HostCapacity' }.status", equalTo(false)));
            given().get("/api/v1/events?pool=capped").then().statusCode(200).body("reason", hasItem("HostCapacityAvailable"));
        }
    }
}
