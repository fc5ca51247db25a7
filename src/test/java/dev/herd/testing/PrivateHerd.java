package dev.herd.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Herd itself as a separate JVM: the packaged {@code target/quarkus-app/quarkus-run.jar}, run as
 * {@code bin/up} runs it, under the watchdog so it never outlives the test JVM. Tests and the
 * benchmark use it where an in-process loop would not do: a real SIGKILL, a real shutdown, real RSS.
 * The jar exists only after {@code package}, hence the tests using it run in the integration-test
 * phase (see pom.xml).
 */
public final class PrivateHerd implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final ManagedProcess process;
    private final int port;
    private final Path tokenFile;

    private PrivateHerd(ManagedProcess process, int port, Path tokenFile) {
        this.process = process;
        this.port = port;
        this.tokenFile = tokenFile;
    }

    public static Path jar() {
        return ManagedProcess.projectRoot().resolve("target/quarkus-app/quarkus-run.jar");
    }

    /** The checkout Herd is built from (its {@code herd.home}: workers/, bin/). */
    public static Path projectRoot() {
        return ManagedProcess.projectRoot();
    }

    /** Whether the jar has been built; callers say what to run when it has not. */
    public static boolean built() {
        return Files.isRegularFile(jar());
    }

    /**
     * Starts Herd with these system properties (quarkus.http.port is chosen here) and returns at
     * once, without waiting for it to be up: a test may want to catch it in its first pass.
     */
    public static PrivateHerd launch(Map<String, String> properties, List<String> jvmOptions, Path log) {
        return launch(properties, jvmOptions, log, Map.of());
    }

    /** As {@link #launch(Map, List, Path)}, with more environment for Herd. */
    public static PrivateHerd launch(Map<String, String> properties, List<String> jvmOptions, Path log, Map<String, String> env) {
        if (!built()) {
            throw new IllegalStateException(jar() + " is missing: run ./mvnw -B package -DskipTests first");
        }
        try {
            int port = PrivateRedis.freePort();
            Map<String, String> props = new TreeMap<>(properties);
            props.put("quarkus.http.port", Integer.toString(port));
            // as the test profile: workers write into the test's private folders (workers/NonRootWorkersIT runs the default)
            props.putIfAbsent("herd.workers.default-user", "zinit");
            props.putIfAbsent("herd.workers.allow-root", "true");
            // the token file Herd creates on its first start, as in production; beside the log, not in ~/.config
            props.putIfAbsent("herd.api.token-file", log.toAbsolutePath().resolveSibling(log.getFileName() + ".api-token").toString());
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            props.forEach((k, v) -> command.add("-D" + k + "=" + v));
            command.add("-jar");
            command.add(jar().toString());
            return new PrivateHerd(ManagedProcess.start("herd", log, command, "", env), port, Path.of(props.get("herd.api.token-file")));
        } catch (IOException e) {
            throw new IllegalStateException("cannot start Herd: " + e.getMessage(), e);
        }
    }

    /** Waits until Herd answers its liveness check. */
    public PrivateHerd awaitUp(Duration within) {
        process.awaitReady(within, () -> get("/q/health/live").isPresent());
        return this;
    }

    /** The API token this Herd created at start (empty until it has). */
    public String token() {
        try {
            return Files.isReadable(tokenFile) ? Files.readString(tokenFile).strip() : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** A request to a path of this Herd's API, with its token. */
    public HttpRequest.Builder request(String path) {
        return Api.authorized(HttpRequest.newBuilder(URI.create(url() + path)), token()).timeout(Duration.ofSeconds(5));
    }

    /** GETs a path of Herd's HTTP API: the body of a 2xx answer, else empty. */
    public java.util.Optional<String> get(String path) {
        try {
            HttpResponse<String> r = HTTP.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() / 100 == 2 ? java.util.Optional.of(r.body()) : java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * The Herd JVM's pid: the watchdog's child that runs java (the watchdog's own {@code sleep}
     * between its checks is a child too).
     */
    public long pid() {
        return process.serverPids().stream()
                .filter(pid -> ProcessHandle.of(pid).flatMap(p -> p.info().command()).map(c -> c.endsWith("/java")).orElse(false))
                .findFirst().orElseThrow(() -> new IllegalStateException("Herd is not running:\n" + log()));
    }

    /** SIGKILL, as a crash or the OOM killer would: no shutdown hook runs. */
    public void kill() {
        process.killServer();
    }

    /** SIGTERM, as a service manager stops it: Quarkus shuts down (and applies the shutdown policy). */
    public void stop() {
        process.close();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String log() {
        return process.tail();
    }

    @Override
    public void close() {
        stop();
    }
}
