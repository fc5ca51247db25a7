package dev.herd.introspect;

import static dev.herd.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import dev.herd.cli.HerdCli;
import dev.herd.testing.HeroPools;
import dev.herd.testing.PrivateServersResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A worker's logs, CPU and memory through the API, the metrics and the command line, with the real zinit-server. */
@QuarkusTest
@QuarkusTestResource(value = PrivateServersResource.class, restrictToAnnotatedClass = false)
class WorkerIntrospectionIT {
    private static final Duration T = Duration.ofSeconds(40);
    private static final Pattern OUT = Pattern.compile("stdout out-(\\d+)");
    private static Path trigger;

    @TestHTTPResource("/")
    URL url;

    @BeforeAll
    static void writePools() throws Exception {
        trigger = Files.createTempDirectory("herd-burn").resolve("go");
        write("chatty", "[\"bash\", \"-c\", \"i=0; while true; do echo out-$i; echo err-$i >&2; i=$((i+1)); sleep 0.2; done\"]");
        // idle until the trigger exists; then a child holds 150 MB and the worker itself spins for 30 s
        write("burner", "[\"bash\", \"-c\", \"while [ ! -e \\\"$0\\\" ]; do sleep 0.2; done; "
                + "/usr/bin/python3 -c 'import time; b = bytearray(150 * 1024 * 1024); b[::4096] = bytes(len(b[::4096])); time.sleep(100000)' & "
                + "end=$((SECONDS + 30)); while [ $SECONDS -lt $end ]; do :; done; wait\", \"" + trigger + "\"]");
    }

    @AfterAll
    static void removePools() throws Exception {
        HeroPools.removePools("introspect", java.util.List.of("chatty", "burner"));
    }

    private static void write(String name, String exec) throws Exception {
        HeroPools.writePool("introspect", name, 1, exec, "");
    }

    private static JsonPath pool(String name) {
        return given().get("/api/v1/pools/" + name).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void logsTellStdoutFromStderrInASnapshotAndWhileFollowing() throws Exception {
        await().atMost(T).ignoreExceptions().untilAsserted(() -> given().get("/api/v1/workers/chatty-0/logs?lines=20").then().statusCode(200)
                .contentType(containsString("text/plain"))
                .body(containsString(" stdout out-")).body(containsString(" stderr err-")));
        List<String> snapshot = given().get("/api/v1/workers/chatty-0/logs?lines=10").asString().lines().toList();
        assertThat(snapshot).hasSizeLessThanOrEqualTo(10).allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\S+Z (stdout out|stderr err)-\\d+"));
        int last = snapshot.stream().map(OUT::matcher).filter(Matcher::find).mapToInt(m -> Integer.parseInt(m.group(1))).max().orElseThrow();

        // follow: the backlog first, then lines printed after the request, as they come
        HttpRequest request = dev.herd.testing.Api.authorized(
                HttpRequest.newBuilder(URI.create(url + "api/v1/workers/chatty-0/logs?follow=true&lines=2")), dev.herd.testing.Api.TOKEN).build();
        HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> followed = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                followed.add(line);
                Matcher m = OUT.matcher(line);
                if (m.find() && Integer.parseInt(m.group(1)) > last + 5 && followed.stream().anyMatch(l -> l.contains(" stderr err-"))) {
                    break;
                }
            }
        }
        assertThat(followed).anyMatch(l -> l.contains(" stderr err-"));
        assertThat(followed.stream().map(OUT::matcher).filter(Matcher::find).map(m -> Integer.parseInt(m.group(1))).toList())
                .isSorted().doesNotHaveDuplicates();

        // a pool's logs carry the worker's name on each line
        assertThat(given().get("/api/v1/pools/chatty/logs?lines=5").asString().lines().toList())
                .isNotEmpty().allMatch(l -> l.matches("\\S+Z chatty-0 (stdout|stderr) .*"));
        // the command line prints the same
        StringWriter out = new StringWriter();
        assertThat(cli(out, "logs", "chatty-0", "-n", "4", "--url", url.toString())).isZero();
        assertThat(out.toString().lines().toList()).hasSizeBetween(1, 4).allMatch(l -> l.contains(" stdout out-") || l.contains(" stderr err-"));
    }

    @Test
    void unknownWorkerIsAProblemNamingTheWorkers() {
        await().atMost(T).ignoreExceptions().until(() -> pool("chatty").getInt("readyReplicas") == 1);
        given().get("/api/v1/workers/nope-0/logs").then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("no worker 'nope-0'")).body("detail", containsString("chatty-0"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = HerdCli.commandLine();
        cli.setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        assertThat(cli.execute(dev.herd.testing.Api.withToken("logs", "nope-0", "--url", url.toString()))).isEqualTo(2);
        assertThat(err.toString()).contains("HTTP 404").contains("chatty-0");
    }

    @Test
    void cpuAndMemoryOfAWorkerAndItsChildrenMoveWhenItWorks() throws Exception {
        await().atMost(T).ignoreExceptions().until(() -> pool("burner").get("workers[0].usage.memoryBytes") != null);
        long idleMemory = pool("burner").getLong("workers[0].usage.memoryBytes");
        await().atMost(T).ignoreExceptions().until(() -> pool("burner").getDouble("workers[0].usage.cpuPercent") < 5);

        Files.createFile(trigger);
        await().atMost(T).ignoreExceptions().untilAsserted(() -> {
            JsonPath p = pool("burner");
            // the machine may be shared: a spinning worker is far above its idle 5 %, not necessarily at 100
            assertThat(p.getDouble("workers[0].usage.cpuPercent")).as(p.prettify()
                    + given().get("/api/v1/workers/burner-0/logs").asString()).isGreaterThan(20);
            assertThat(p.getLong("workers[0].usage.memoryBytes")).isGreaterThan(idleMemory + 100L * 1024 * 1024);
            assertThat(p.getInt("workers[0].usage.processes")).isGreaterThanOrEqualTo(2);
            assertThat(p.getString("workers[0].usage.source")).isEqualTo("proc");
        });
        String metrics = given().get("/q/metrics").asString();
        assertThat(value(metrics, "herd_pool_memory_bytes{pool=\"burner\"}")).isGreaterThan(100.0 * 1024 * 1024);
        assertThat(value(metrics, "herd_pool_worker_memory_max_bytes{pool=\"burner\"}")).isGreaterThan(100.0 * 1024 * 1024);
        assertThat(metrics).contains("herd_pool_cpu_percent{pool=\"burner\"}");

        StringWriter out = new StringWriter();
        assertThat(cli(out, "top", "burner", "--url", url.toString())).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines.get(0)).matches("POOL +WORKER +PID +CPU% +MEMORY +PROCS +SOURCE");
        assertThat(lines.get(1)).matches("burner +burner-0 +\\d+ +\\d+\\.\\d +1\\d\\d\\.\\dMi +\\d+ +proc");
    }

    private static double value(String metrics, String series) {
        return metrics.lines().filter(l -> l.startsWith(series + " ")).mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1)))
                .findFirst().orElseThrow(() -> new AssertionError(series + " not in /q/metrics"));
    }

    private static int cli(StringWriter out, String... args) {
        CommandLine cli = HerdCli.commandLine();
        cli.setOut(new PrintWriter(out)).setErr(new PrintWriter(new StringWriter()));
        return cli.execute(dev.herd.testing.Api.withToken(args));
    }
}
