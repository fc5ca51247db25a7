package dev.herd.launch;

import static dev.herd.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.herd.testing.HeroPools;
import dev.herd.testing.PrivateServersResource;
import dev.herd.testing.Procs;
import dev.herd.zinit.ServiceStatus;
import dev.herd.zinit.ZinitClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Workers launched as another user, under kernel limits, and only from a binary that matches its
 * pinned digest: the whole application against the real zinit-server, checked in /proc.
 */
@QuarkusTest
@QuarkusTestResource(value = PrivateServersResource.class, restrictToAnnotatedClass = false)
class WorkerLaunchIT {
    private static final Duration T = Duration.ofSeconds(40);
    private static Path bin;
    private static String pinned;

    @Inject
    ZinitClient zinit;

    @BeforeAll
    static void writePools() throws Exception {
        bin = Files.createTempDirectory("herd-launch-bin").resolve("pinned-worker");
        Files.copy(Path.of("/usr/bin/sleep"), bin);
        pinned = sha256(bin);
        write("runas", 1, "[\"sleep\", \"100000\"]", "    user: nobody\n");
        // python itself fits in 100 MiB of address space; the 300 MB it asks for after 3 s does not
        write("capped", 1, "[\"/usr/bin/python3\", \"-c\", \"import time; print('started', flush=True); time.sleep(3); "
                + "b = bytearray(300 * 1024 * 1024); print('allocated', flush=True)\"]", "    limits: {addressSpace: 100Mi, openFiles: 64}\n");
        write("pinned", 2, "[\"" + bin + "\", \"100000\"]", "    verify: {sha256: " + pinned + "}\n");
        write("missing", 1, "[\"/nonexistent/herd-worker\"]", "");
        write("nouser", 1, "[\"sleep\", \"100000\"]", "    user: no-such-user-herd\n");
    }

    @AfterAll
    static void removePools() throws Exception {
        HeroPools.removePools("launch", List.of("runas", "capped", "pinned", "missing", "nouser"));
    }

    private static void write(String name, int replicas, String exec, String extra) throws Exception {
        HeroPools.writePool("launch", name, replicas, exec, extra);
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static JsonPath pool(String name) {
        return given().get("/api/v1/pools/" + name).then().statusCode(200).extract().jsonPath();
    }

    private static Map<String, Object> condition(JsonPath pool, String type) {
        return pool.getMap("conditions.find { it.type == '" + type + "' }");
    }

    @Test
    void aWorkerRunsAsTheUnprivilegedUserItAsksFor() throws Exception {
        Assumptions.assumeTrue(Files.readString(Path.of("/proc/self/status")).contains("Uid:\t0\t"),
                "changing user needs root, as zinit-server has it in production");
        await().atMost(T).ignoreExceptions().until(() -> pool("runas").getInt("readyReplicas") == 1);
        int pid = pool("runas").getInt("workers[0].pid");
        int worker = await().atMost(T).ignoreExceptions().until(() -> Procs.inGroup(pid, "sleep").orElse(0), p -> p > 0);
        assertThat(Procs.line(worker, "status", "Uid:")).isEqualTo("Uid:\t65534\t65534\t65534\t65534");
        assertThat(Procs.line(worker, "status", "Gid:")).isEqualTo("Gid:\t65534\t65534\t65534\t65534");
    }

    @Test
    void theKernelEnforcesTheAddressSpaceLimitAndTheWorkerDiesOfIt() {
        await().atMost(T).ignoreExceptions().until(() -> pool("capped").getInt("workers[0].pid") > 0);
        // catch one run of the worker while it is alive: its limits as the kernel holds them
        int python = await().atMost(T).ignoreExceptions().until(() -> {
            int pid = pool("capped").getInt("workers[0].pid");
            return pid == 0 ? 0 : Procs.inGroup(pid, "python3").orElse(0);
        }, p -> p > 0);
        assertThat(Procs.line(python, "limits", "Max address space")).matches("Max address space +104857600 +104857600 +bytes *");
        assertThat(Procs.line(python, "limits", "Max open files")).matches("Max open files +64 +64 +files *");
        // it asks for 300 MB: refused by the kernel, it dies with MemoryError, written to stderr
        await().atMost(T).ignoreExceptions().untilAsserted(() -> given().get("/api/v1/workers/capped-0/logs?lines=200").then().statusCode(200)
                .body(containsString("stderr MemoryError")));
        assertThat(given().get("/api/v1/workers/capped-0/logs?lines=200").asString()).doesNotContain("allocated");
    }

    @Test
    void aTamperedBinaryIsRefusedAndTheHealthyWorkersAreLeftAlone() throws Exception {
        await().atMost(T).ignoreExceptions().until(() -> pool("pinned").getInt("readyReplicas") == 2);
        List<Integer> pids = pool("pinned").getList("workers.pid", Integer.class);
        assertThat(condition(pool("pinned"), "LaunchRefused")).containsEntry("status", false);

        // tampered: replaced by a file with one byte more (a running binary cannot be written in place)
        Path swap = bin.resolveSibling("swap");
        Files.write(swap, Files.readAllBytes(Path.of("/usr/bin/sleep")));
        Files.write(swap, new byte[]{0x00}, StandardOpenOption.APPEND);
        swap.toFile().setExecutable(true);
        Files.move(swap, bin, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        String found = sha256(bin);
        write("pinned", 3, "[\"" + bin + "\", \"100000\"]", "    verify: {sha256: " + pinned + "}\n");
        await().atMost(T).ignoreExceptions().untilAsserted(() -> {
            Map<String, Object> refused = condition(pool("pinned"), "LaunchRefused");
            assertThat(refused).containsEntry("status", true).containsEntry("reason", "BinaryMismatch");
            assertThat((String) refused.get("message")).contains("launch-pinned.yaml: spec.template.verify.sha256")
                    .contains("has sha256 " + found).contains("expected " + pinned);
            assertThat(pool("pinned").getInt("desiredReplicas")).isEqualTo(3);
        });
        given().get("/api/v1/events?pool=pinned").then().body("reason", org.hamcrest.Matchers.hasItem("BinaryMismatch"));
        // the same pass that set the condition planned no creation; the next one plans none either
        given().get("/api/v1/plan").then().statusCode(200).body("actions.findAll { it.pool == 'pinned' }.size()", equalTo(0));
        assertThat(names()).contains("pinned-0", "pinned-1").doesNotContain("pinned-2");
        assertThat(pool("pinned").getList("workers.pid", Integer.class)).isEqualTo(pids);
        assertThat(pool("pinned").getList("workers.phase", String.class)).containsOnly("Ready");

        Files.copy(Path.of("/usr/bin/sleep"), swap); // restored
        Files.move(swap, bin, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        await().atMost(T).ignoreExceptions().until(() -> pool("pinned").getInt("readyReplicas") == 3);
        assertThat(condition(pool("pinned"), "LaunchRefused")).containsEntry("status", false);
        assertThat(pool("pinned").getList("workers.pid", Integer.class).subList(0, 2)).isEqualTo(pids);
    }

    @Test
    void aMissingBinaryOrUnknownUserIsReportedBeforeAnyZinitCall() {
        await().atMost(T).ignoreExceptions().untilAsserted(() -> {
            Map<String, Object> missing = condition(pool("missing"), "LaunchRefused");
            assertThat(missing).containsEntry("status", true).containsEntry("reason", "BinaryMissing");
            assertThat((String) missing.get("message")).contains("launch-missing.yaml: spec.template.exec[0]")
                    .contains("/nonexistent/herd-worker not found");
            Map<String, Object> nouser = condition(pool("nouser"), "LaunchRefused");
            assertThat(nouser).containsEntry("status", true).containsEntry("reason", "UnknownUser");
            assertThat((String) nouser.get("message")).contains("launch-nouser.yaml: spec.template.user: no user no-such-user-herd");
        });
        assertThat(names()).noneMatch(n -> n.startsWith("missing-") || n.startsWith("nouser-"));
        assertThat(pool("missing").getInt("currentReplicas")).isZero();
    }

    private List<String> names() {
        return zinit.list().await().atMost(Duration.ofSeconds(10)).stream().map(ServiceStatus::name).toList();
    }
}
