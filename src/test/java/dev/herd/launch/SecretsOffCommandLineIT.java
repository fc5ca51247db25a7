package dev.herd.launch;

import static dev.herd.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herd.testing.HeroPools;
import dev.herd.testing.PrivateRedis;
import dev.herd.testing.OwnServers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * With a Redis that has a password, no worker's command line holds it: Herd gives it to every
 * worker in its environment (HERD_REDIS_URL, readable by the worker's user only), and refuses a
 * template that would put it in argv, where every local user reads it.
 */
@QuarkusTest
@TestProfile(SecretsOffCommandLineIT.PasswordRedis.class)
class SecretsOffCommandLineIT {
    private static final String PASSWORD = "s3cret-redis-pw";
    private static final Duration T = Duration.ofSeconds(40);

    public static final class Servers extends OwnServers {
        @Override
        protected String controllerId() {
            return "herd-secrets-test";
        }

        @Override
        protected PrivateRedis startRedis() {
            return PrivateRedis.startWithPassword(PASSWORD);
        }

        @Override
        protected void writePools(Path dir) throws IOException {
                Files.writeString(dir.resolve("hero.yaml"), """
                        apiVersion: herd/v1
                        kind: WorkerPool
                        metadata: {name: hero}
                        spec:
                          replicas: 1
                          template:
                            exec: HERO_EXEC
                            shutdownTimeout: 2s
                        """.replace("HERO_EXEC", HeroPools.EXEC));
                Files.writeString(dir.resolve("leaky.yaml"), """
                        apiVersion: herd/v1
                        kind: WorkerPool
                        metadata: {name: leaky}
                        spec:
                          replicas: 1
                          template:
                            exec: ["sleep", "1000", "{{redisUrl}}"]
                        """);
        }
    }

    public static final class PasswordRedis extends OwnServers.Only {
        public PasswordRedis() {
            super(Servers.class);
        }
    }

    private static JsonPath pool(String name) {
        return given().get("/api/v1/pools/" + name).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void theWorkersGetThePasswordInTheirEnvironmentNeverInArgv() throws Exception {
        await().atMost(T).ignoreExceptions().until(() -> pool("hero").getInt("readyReplicas") == 1);
        int pid = pool("hero").getInt("workers[0].pid");
        String argv = Files.readString(Path.of("/proc/" + pid + "/cmdline"), StandardCharsets.UTF_8).replace('\0', ' ');
        String environ = Files.readString(Path.of("/proc/" + pid + "/environ"), StandardCharsets.UTF_8);
        assertThat(argv).contains("hero-worker").doesNotContain(PASSWORD);
        assertThat(environ).contains("HERD_REDIS_URL=" + OwnServers.of(Servers.class).redis().url());
        // and the worker reaches Redis with it: a job runs
        given().contentType("application/json").body("{\"pool\":\"hero\",\"script\":\"echo with-password\"}")
                .post("/api/v1/jobs?wait=30s").then().statusCode(200).body("output", org.hamcrest.Matchers.equalTo("with-password"));
    }

    @Test
    void aTemplateThatWouldPutThePasswordInArgvIsRefused() {
        await().atMost(T).ignoreExceptions().untilAsserted(() -> assertThat(pool("leaky")
                .getMap("conditions.find { it.type == 'LaunchRefused' }")).containsEntry("status", true)
                .containsEntry("reason", "SecretOnCommandLine"));
        String message = pool("leaky").getString("conditions.find { it.type == 'LaunchRefused' }.message");
        assertThat(message).contains("leaky.yaml").contains("HERD_REDIS_URL").doesNotContain(PASSWORD);
        assertThat(pool("leaky").getInt("currentReplicas")).isZero();
    }
}
