package dev.herd.launch;

import static dev.herd.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herd.testing.HeroPools;
import dev.herd.testing.PrivateServersResource;
import dev.herd.testing.Procs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Production's defaults on a root zinit-server: a pool that names no user runs as the unprivileged
 * herd-worker account (bin/install creates it), root is refused unless Herd is told to allow it,
 * and a program that account cannot reach is refused before Zinit is asked, with the fix.
 */
@QuarkusTest
@TestProfile(NonRootWorkersIT.ProductionDefaults.class)
@QuarkusTestResource(value = PrivateServersResource.class, restrictToAnnotatedClass = false)
class NonRootWorkersIT {
    private static final Duration T = Duration.ofSeconds(40);
    private static final List<String> POOLS = List.of("plain", "asroot", "hidden");

    public static final class ProductionDefaults implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // the test profile's own choice (Zinit's user, root allowed) undone: Herd's defaults
            return Map.of("herd.workers.default-user", "herd-worker", "herd.workers.allow-root", "false");
        }
    }

    @BeforeAll
    static void writePools() throws Exception {
        Assumptions.assumeTrue(Files.readString(Path.of("/proc/self/status")).contains("Uid:\t0\t"),
                "changing user needs root, as zinit-server has it in production");
        Path closed = Files.createTempDirectory("herd-closed-"); // 0700: other users cannot pass
        Path program = Files.copy(Path.of("/usr/bin/sleep"), closed.resolve("sleep"));
        write("plain", "[\"sleep\", \"100000\"]", "");
        write("asroot", "[\"sleep\", \"100000\"]", "    user: root\n");
        write("hidden", "[\"" + program + "\", \"100000\"]", "");
    }

    @AfterAll
    static void removePools() throws Exception {
        HeroPools.removePools("nonroot", POOLS);
    }

    private static void write(String name, String exec, String extra) throws Exception {
        HeroPools.writePool("nonroot", name, 1, exec, extra);
    }

    private static JsonPath pool(String name) {
        return given().get("/api/v1/pools/" + name).then().statusCode(200).extract().jsonPath();
    }

    private static Map<String, Object> refusal(String pool) {
        return pool(pool).getMap("conditions.find { it.type == 'LaunchRefused' }");
    }

    @Test
    void aPoolWithoutAUserRunsAsTheUnprivilegedDefaultAccount() throws Exception {
        int uid = Procs.uidOf("herd-worker");
        await().atMost(T).ignoreExceptions().until(() -> pool("plain").getInt("readyReplicas") == 1);
        int pid = pool("plain").getInt("workers[0].pid");
        int worker = await().atMost(T).ignoreExceptions().until(() -> Procs.inGroup(pid, "sleep").orElse(0), p -> p > 0);
        assertThat(Procs.line(worker, "status", "Uid:")).isEqualTo("Uid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid);
    }

    @Test
    void rootIsRefusedUnlessHerdAllowsIt() {
        await().atMost(T).ignoreExceptions().untilAsserted(() -> assertThat(refusal("asroot"))
                .containsEntry("status", true).containsEntry("reason", "RootForbidden"));
        assertThat((String) refusal("asroot").get("message")).contains("herd.workers.allow-root=true").contains("nonroot-asroot.yaml");
        assertThat(pool("asroot").getInt("currentReplicas")).as("no worker created").isZero();
    }

    @Test
    void aProgramTheAccountCannotReachIsRefusedWithTheFolderToOpen() {
        await().atMost(T).ignoreExceptions().untilAsserted(() -> assertThat(refusal("hidden"))
                .containsEntry("status", true).containsEntry("reason", "BinaryNotReachable"));
        assertThat((String) refusal("hidden").get("message")).contains("herd-worker").contains("herd-closed-").contains("rwx------")
                .contains("chmod o+x");
        assertThat(pool("hidden").getInt("currentReplicas")).isZero();
    }
}
