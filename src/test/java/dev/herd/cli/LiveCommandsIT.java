package dev.herd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herd.testing.PrivateServers;
import dev.herd.testing.HeroPools;
import dev.herd.testing.PrivateServersResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code herd status} and {@code herd plan} against the whole running application, over HTTP. */
@QuarkusTest
@QuarkusTestResource(value = PrivateServersResource.class, restrictToAnnotatedClass = false)
class LiveCommandsIT {
    private static final Path GOOD = PrivateServers.desiredStateDir().resolve("cli-good.yaml");
    private static final Path BROKEN = PrivateServers.desiredStateDir().resolve("cli-broken.yaml");
    private static final Duration T = Duration.ofSeconds(30);

    @TestHTTPResource("/")
    URL url;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void writePool() throws Exception {
        Files.writeString(GOOD, pool("cligood", 2, "[\"sleep\", \"100000\"]"));
    }

    @AfterAll
    static void removePools() throws Exception {
        Files.deleteIfExists(GOOD);
        Files.deleteIfExists(BROKEN);
        HeroPools.awaitGone(List.of("cligood", "clibroken"));
    }

    private static String pool(String name, int replicas, String exec) {
        return "apiVersion: herd/v1\nkind: WorkerPool\nmetadata:\n  name: " + name + "\nspec:\n  scriptType: " + name
                + "\n  replicas: " + replicas + "\n  template:\n    exec: " + exec + "\n";
    }

    @Test
    void statusOfAReadyPoolShowsItsWorkersAndExitsZero() {
        await().atMost(T).until(() -> run("status", "cligood") == 0);
        List<String> lines = out.toString().lines().toList();
        assertThat(lines.subList(0, 3)).containsExactly(
                "POOL      DESIRED   CURRENT   READY   UP-TO-DATE   GENERATION   CONDITIONS",
                "cligood   2         2         2       2            1/1          Ready",
                "");
        assertThat(lines.get(3)).matches("WORKER +STATE +PHASE +PID +RESTARTS +AGE +TEMPLATE");
        assertThat(lines.get(4)).matches("cligood-0 +RUNNING +Ready +\\d+ +0 +\\d+[smhd] +[0-9a-f]{10}");
        assertThat(lines.get(5)).matches("cligood-1 +RUNNING +Ready +\\d+ +0 +\\d+[smhd] +[0-9a-f]{10}");
        assertThat(lines.get(6)).isEmpty();
        assertThat(lines.get(7)).matches("CONDITION +STATUS +REASON +SINCE +MESSAGE");
        assertThat(lines.subList(8, lines.size())).extracting(l -> l.split(" +")[0] + " " + l.split(" +")[1]).containsExactly(
                "Ready True", "Progressing False", "Degraded False", "ConfigInvalid False", "Conflict False", "HostCapacity False",
                "LaunchRefused False", "LimitsNotEnforced False");
        assertThat(err.toString()).isEmpty();

        clear();
        assertThat(run("status", "cligood", "--output", "json")).isZero();
        JsonNode json = parse(out.toString());
        assertThat(json.path("name").asText()).isEqualTo("cligood");
        assertThat(json.path("readyReplicas").asInt()).isEqualTo(2);
        assertThat(json.path("workers")).hasSize(2);
    }

    @Test
    void planIsEmptyOnceConvergedAndListsPendingActionsOtherwise() throws Exception {
        await().atMost(T).until(() -> run("status", "cligood") == 0);
        await().atMost(T).until(() -> run("plan") == 0);
        assertThat(out.toString()).isEqualTo("No actions: Zinit matches the desired state.\n");

        // a pool whose worker Zinit refuses (it starts after a service Zinit does not have): creation fails
        // each pass, so the action stays pending. (A missing program is refused by Herd before Zinit: WorkerLaunchIT.)
        Files.writeString(BROKEN, pool("clibroken", 1, "[\"sleep\", \"100000\"]") + "    after: [herd-no-such-service]\n");
        try {
            await().atMost(T).until(() -> run("plan") == 1);
            List<String> lines = out.toString().lines().toList();
            assertThat(lines.get(0)).matches("STAGE +ACTION +POOL +WORKER +REASON");
            assertThat(lines).anySatisfy(l -> assertThat(l).matches("\\d+ +CreateWorker +clibroken +clibroken-0 +scale up to 1"));
            assertThat(lines.get(lines.size() - 1)).matches("\\d+ actions? pending; stages run in order, the actions of a stage in parallel\\.");

            clear();
            assertThat(run("plan", "-o", "json")).isEqualTo(1);
            assertThat(parse(out.toString()).path("actions").findValuesAsText("worker")).contains("clibroken-0");

            await().atMost(T).until(() -> run("status", "clibroken") == 1
                    && out.toString().lines().skip(1).findFirst().orElse("").contains("Degraded"));
            // Degraded holds while the pool backs off, not only in the pass that failed
            for (int i = 0; i < 3; i++) {
                Thread.sleep(400);
                assertThat(run("status", "clibroken")).isEqualTo(1);
                assertThat(out.toString().lines().toList().get(1))
                        .matches("clibroken +1 +0 +0 +0 +0/1 +Progressing,Degraded");
            }
            assertThat(out.toString()).contains("Dependency 'herd-no-such-service' not found");
            assertThat(err.toString()).isEqualTo("status: not as desired: clibroken\n");

            clear();
            assertThat(run("status")).as("all pools, one of them broken").isEqualTo(1);
            assertThat(err.toString()).isEqualTo("status: not as desired: clibroken (herd status NAME shows why)\n");
        } finally {
            Files.deleteIfExists(BROKEN);
        }
    }

    @Test
    void anUnknownPoolIsBadUsageWithTheKnownOnes() {
        assertThat(run("status", "nosuchpool")).isEqualTo(2);
        assertThat(err.toString()).startsWith("status: Herd answered HTTP 404: no pool 'nosuchpool' in the desired state; known pools: [");
        assertThat(out.toString()).isEmpty();
    }

    private int run(String... args) {
        clear();
        String[] withUrl = new String[args.length + 2];
        System.arraycopy(args, 0, withUrl, 0, args.length);
        withUrl[args.length] = "--url";
        withUrl[args.length + 1] = url.toString();
        picocli.CommandLine cli = HerdCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(dev.herd.testing.Api.withToken(withUrl));
    }

    private void clear() {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
    }

    private static JsonNode parse(String json) {
        try {
            return HerdHttp.JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
