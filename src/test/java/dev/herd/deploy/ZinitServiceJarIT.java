package dev.herd.deploy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herd.testing.JarCommand;
import dev.herd.testing.PrivateHerd;
import dev.herd.testing.PrivateZinit;
import dev.herd.zinit.LogLine;
import dev.herd.zinit.ServiceState;
import dev.herd.zinit.ServiceStatus;
import dev.herd.zinit.ZinitClient;
import dev.herd.zinit.ZinitClients;
import dev.herd.zinit.transport.JsonRpcTransport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * deploy/zinit/herd.toml, with only its documented values replaced (paths, socket, Redis, port, and
 * the JSON log line uncommented), loaded by a real zinit-server next to a Redis service: Herd comes up
 * under Zinit, passes Zinit's health check, turns ready, reconciles a pool of reference workers in the
 * same Zinit, logs its decisions as JSON with pool and worker fields, and a graceful Zinit shutdown
 * leaves no process behind.
 */
class ZinitServiceJarIT {
    private static final Duration T = Duration.ofSeconds(90);
    private static final String POOL = "underzinit";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void herdRunsUnderZinitFromTheCommittedServiceFile() throws Exception {
        assertThat(PrivateHerd.built()).as(PrivateHerd.jar() + " (run ./mvnw -B package -DskipTests first)").isTrue();
        Path root = PrivateHerd.jar().getParent().getParent().getParent();
        Path dir = Files.createTempDirectory("herd-zinit-deploy-");
        Path desired = Files.createDirectories(dir.resolve("desired"));
        Path tokenFile = dir.resolve("etc/api-token"); // Herd creates it, and its folder, on first start
        // the workers run as herd-worker (the default, Zinit being root): their program where that user reaches it
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path worker = Files.copy(root.resolve("workers/bin/hero-worker"), dir.resolve("hero-worker"));
        Files.writeString(desired.resolve(POOL + ".yaml"), """
                apiVersion: herd/v1
                kind: WorkerPool
                metadata:
                  name: %s
                spec:
                  replicas: 2
                  template:
                    exec: HERO_EXEC
                    shutdownTimeout: 5s
                """.formatted(POOL).replace("HERO_EXEC", dev.herd.testing.HeroPools.EXEC.replace("{{herdHome}}/workers/bin/hero-worker",
                worker.toString())));
        int redisPort = freePort();
        int httpPort = freePort();
        String url = "http://127.0.0.1:" + httpPort;

        PrivateZinit zinit = PrivateZinit.start();
        ZinitClient client = null;
        try {
            String service = render(Files.readString(root.resolve("deploy/zinit/herd.toml")), root, zinit.socket(), desired,
                    tokenFile, "redis://127.0.0.1:" + redisPort, httpPort);
            Files.writeString(zinit.configDir().resolve("herd.toml"), service);
            Files.writeString(zinit.configDir().resolve("redis.toml"), """
                    [service]
                    name = "redis"
                    exec = "%s --port %d --bind 127.0.0.1 --save '' --appendonly no --dir %s"
                    """.formatted(which("redis-server"), redisPort, dir));
            // a file dropped into the config dir is read when the server starts
            zinit.stop();
            zinit.launch();
            client = ZinitClients.connect(zinit.socket(), "v0.3", Duration.ofSeconds(10), JsonRpcTransport.Options.defaults());
            ZinitClient zc = client;

            await().atMost(T).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() ->
                    given().get(url + "/q/health/ready").then().statusCode(200).body("status", equalTo("UP")));
            await().atMost(T).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() ->
                    given().header("Authorization", "Bearer " + Files.readString(tokenFile).strip())
                            .get(url + "/api/v1/pools/" + POOL).then().statusCode(200).body("readyReplicas", equalTo(2)));
            // Zinit's health check (curl on /q/health/live) passed: the service is running, not starting
            await().atMost(T).pollInterval(Duration.ofMillis(500)).until(() -> zc.status("herd").await().atMost(T).state() == ServiceState.RUNNING);
            List<String> names = client.list().await().atMost(T).stream().map(ServiceStatus::name).toList();
            assertThat(names).contains("herd", "redis", POOL + "-0", POOL + "-1");
            // Herd leaves the services it does not own alone
            given().header("Authorization", "Bearer " + Files.readString(tokenFile).strip()).get(url + "/api/v1/plan").then().statusCode(200).body("actions.size()", equalTo(0)).body("conflicts.size()", equalTo(0));
            // and an operator sees it so from the command line
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
            JarCommand status = JarCommand.run("status", "--url", url, "--token-file", tokenFile.toString());
            assertThat(status.exit()).as(status.err()).isZero();
            assertThat(status.out().lines().toList()).element(1).asString().matches(POOL + " +2 +2 +2 +2 +1/1 +Ready");
            JarCommand plan = JarCommand.run("plan", "--url", url, "-o", "json", "--token-file", tokenFile.toString());
            assertThat(plan.exit()).as(plan.err()).isZero();
            assertThat(JSON.readTree(plan.out()).path("actions")).isEmpty();

            JsonNode decision = await().atMost(T).until(() -> createdLine(zc), Optional::isPresent).orElseThrow();
            assertThat(decision.path("level").asText()).isEqualTo("INFO");
            assertThat(decision.path("mdc").path("pool").asText()).isEqualTo(POOL);
            assertThat(decision.path("mdc").path("worker").asText()).startsWith(POOL + "-");
            assertThat(decision.path("message").asText()).contains("Created");

            // no user in the pool file, Zinit root: the workers run as the unprivileged default account
            for (String name : List.of(POOL + "-0", POOL + "-1")) {
                int leader = (int) client.status(name).await().atMost(T).pid(); // the wrapper that changes user
                int process = await().atMost(T).until(() -> dev.herd.testing.Procs.inGroup(leader, "hero-worker").orElse(0), p -> p > 0);
                int uid = dev.herd.testing.Procs.uidOf("herd-worker");
                assertThat(dev.herd.testing.Procs.line(process, "status", "Uid:")).as(name + " runs as herd-worker")
                        .isEqualTo("Uid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid);
            }

            List<ProcessHandle> started = new ArrayList<>();
            for (String name : List.of("herd", "redis", POOL + "-0", POOL + "-1")) {
                ProcessHandle.of(client.status(name).await().atMost(T).pid()).ifPresent(p -> {
                    started.add(p);
                    p.descendants().forEach(started::add);
                });
            }
            assertThat(started).anyMatch(p -> p.info().command().orElse("").endsWith("/java"));
            client.close();
            client = null;
            zinit.stop(); // `zinit shutdown`: services stopped first, Herd by SIGTERM
            await().atMost(T).untilAsserted(() -> assertThat(started).noneMatch(ProcessHandle::isAlive));
        } finally {
            if (client != null) {
                client.close();
            }
            zinit.close();
        }
    }

    /** The committed file with its documented placeholders replaced: each must be present. */
    static String render(String template, Path root, Path socket, Path desired, Path tokenFile, String redisUrl, int port) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("/usr/bin/java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        values.put("/opt/herd/quarkus-run.jar", PrivateHerd.jar().toString());
        values.put("/opt/herd", root.toString());
        values.put("/run/zinit.sock", socket.toString());
        values.put("/etc/herd/desired-state", desired.toString());
        values.put("/etc/herd/api-token", tokenFile.toString());
        values.put("redis://127.0.0.1:6379", redisUrl);
        values.put("8080", Integer.toString(port));
        values.put("# HERD_LOG_JSON", "HERD_LOG_JSON");
        String text = template;
        for (Map.Entry<String, String> v : values.entrySet()) {
            assertThat(text).as("deploy/zinit/herd.toml names " + v.getKey()).contains(v.getKey());
            text = text.replace(v.getKey(), v.getValue());
        }
        return text;
    }

    /** Herd's JSON log line for a worker it created, read from Zinit's log buffer of the herd service. */
    private static Optional<JsonNode> createdLine(ZinitClient client) {
        for (LogLine line : client.logs("herd", 1000).await().atMost(T)) {
            String text = line.text().strip();
            if (text.startsWith("{") && text.contains("herd.decision")) {
                try {
                    JsonNode node = JSON.readTree(text);
                    if ("Created".equals(node.path("mdc").path("reason").asText())) {
                        return Optional.of(node);
                    }
                } catch (IOException e) {
                    throw new AssertionError("a log line is not JSON: " + text, e);
                }
            }
        }
        return Optional.empty();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String which(String program) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", "command -v " + program).start();
        assertThat(p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        String path = new String(p.getInputStream().readAllBytes()).strip();
        assertThat(path).as(program + " on PATH (bin/install)").isNotEmpty();
        return path;
    }
}
