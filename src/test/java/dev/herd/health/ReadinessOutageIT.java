package dev.herd.health;

import static dev.herd.testing.Api.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import dev.herd.testing.PrivateRedis;
import dev.herd.testing.PrivateZinit;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Readiness follows its dependencies: Zinit stopped turns the {@code zinit} check DOWN (and the
 * probe 503) with what failed and what to do, and UP again once it is back; the same for Redis.
 * This Herd has its own redis-server and zinit-server, which only this class stops.
 */
@QuarkusTest
@TestProfile(ReadinessOutageIT.OwnServers.class)
class ReadinessOutageIT {
    private static final Duration T = Duration.ofSeconds(30);

    /** The servers of this class alone (the run's shared pair stays untouched). */
    public static final class OwnServersResource extends dev.herd.testing.OwnServers {
        @Override
        protected String controllerId() {
            return "herd-readiness-test";
        }
    }

    public static final class OwnServers extends dev.herd.testing.OwnServers.Only {
        public OwnServers() {
            super(OwnServersResource.class);
        }
    }

    private static dev.herd.testing.OwnServers servers() {
        return dev.herd.testing.OwnServers.of(OwnServersResource.class);
    }

    @Test
    void readinessGoesDownWhenZinitOrRedisGoesAwayAndUpWhenItReturns() throws IOException {
        awaitReady().body("checks.find { it.name == 'zinit' }.data.version", notNullValue())
                .body("checks.find { it.name == 'zinit' }.data.socket", equalTo(servers().zinit().socket().toString()))
                .body("checks.find { it.name == 'redis' }.data.reply", equalTo("PONG"))
                .body("checks.find { it.name == 'redis' }.data.hosts", equalTo(servers().redis().url()))
                .body("checks.find { it.name == 'desired-state' }.status", equalTo("UP"));
        given().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"));

        servers().zinit().stop();
        await().atMost(T).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'zinit' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'zinit' }.data.socket", equalTo(servers().zinit().socket().toString()))
                .body("checks.find { it.name == 'zinit' }.data.error", not(equalTo("")))
                .body("checks.find { it.name == 'zinit' }.data.fix", containsString("start zinit-server on " + servers().zinit().socket()))
                .body("checks.find { it.name == 'zinit' }.data.fix", containsString("HERD_ZINIT_SOCKET"))
                .body("checks.find { it.name == 'redis' }.status", equalTo("UP")));
        // a dependency gone is not a reason to restart Herd: liveness stays UP
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));

        servers().zinit().launch();
        awaitReady();

        servers().redis().stop();
        await().atMost(T).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'redis' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'redis' }.data.error", not(equalTo("")))
                .body("checks.find { it.name == 'redis' }.data.fix", containsString("start redis-server at " + servers().redis().url()))
                .body("checks.find { it.name == 'redis' }.data.fix", containsString("QUARKUS_REDIS_HOSTS"))
                .body("checks.find { it.name == 'zinit' }.status", equalTo("UP")));
        given().get("/q/health/live").then().statusCode(200);

        servers().redis().launch();
        awaitReady();
    }

    private static ValidatableResponse awaitReady() {
        return await().atMost(T).until(() -> given().get("/q/health/ready").then(), r -> {
            try {
                r.statusCode(200).body("status", equalTo("UP"));
                return true;
            } catch (AssertionError e) {
                return false;
            }
        });
    }
}
