package dev.herd.testing;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * WorkerPool files for the run's Herd that run the bundled reference worker, written into
 * {@link PrivateServers#desiredStateDir()} (the watcher picks them up) and removed after.
 */
public final class ReferencePools {
    private ReferencePools() {
    }

    /**
     * Writes pool {@code name} (its script type is its name) with {@code replicas} reference workers.
     *
     * @param extra more YAML under {@code spec:}, indented by two spaces (e.g. a health block), or ""
     */
    public static Path write(String name, int replicas, String extra) {
        return write(name, replicas, extra, "2s");
    }

    /** As {@link #write(String, int, String)}, with the workers' shutdownTimeout. */
    public static Path write(String name, int replicas, String extra, String shutdownTimeout) {
        Path file = PrivateServers.desiredStateDir().resolve(name + ".yaml");
        String yaml = """
                apiVersion: herd/v1
                kind: WorkerPool
                metadata:
                  name: %s
                spec:
                  replicas: %d
                  template:
                    exec: ["{{herdHome}}/workers/reference-worker", "--redis-url", "{{redisUrl}}",
                           "--worker-id", "{{workerId}}", "--pool", "{{pool}}"]
                    shutdownTimeout: %s
                """.formatted(name, replicas, shutdownTimeout) + extra.indent(2);
        try {
            Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Removes the pool's file: Herd then removes its workers. */
    public static void remove(String name) {
        try {
            Files.deleteIfExists(PrivateServers.desiredStateDir().resolve(name + ".yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until Zinit lists no worker of these pools. Test classes share one zinit-server, and Zinit
     * 0.3.9 takes seconds for each delete of a service whose exit it lost (docs/zinit-protocol.md):
     * a class that left its workers being removed would make the next class's removals and
     * recreations queue behind those deletes.
     */
    public static void awaitGone(java.util.Collection<String> pools) {
        try (dev.herd.zinit.ZinitClient zinit = dev.herd.zinit.ZinitClients.connect(PrivateServers.zinit().socket(), "v0.3",
                Duration.ofSeconds(10), dev.herd.zinit.transport.JsonRpcTransport.Options.defaults())) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() ->
                    zinit.list().await().atMost(Duration.ofSeconds(10)).stream()
                            .noneMatch(s -> pools.stream().anyMatch(p -> s.name().startsWith(p + "-"))));
        }
    }

    /** Waits until the API shows {@code replicas} ready workers in the pool. */
    public static void awaitReady(String name, int replicas) {
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                given().get("/api/v1/pools/" + name).then().statusCode(200).body("readyReplicas", equalTo(replicas)));
    }
}
