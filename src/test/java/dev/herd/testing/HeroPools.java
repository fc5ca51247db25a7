package dev.herd.testing;

import static dev.herd.testing.Api.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * WorkerPool files for the run's Herd that run the bundled Hero worker (workers/bin/hero-worker,
 * built by bin/install), written into {@link PrivateServers#desiredStateDir()} (the watcher picks
 * them up) and removed after.
 */
public final class HeroPools {
    /** The template's exec of a Hero worker running its jobs with {@code sh} (what most tests send). */
    public static final String EXEC = exec("sh");

    private HeroPools() {
    }

    /**
     * Writes {@code <prefix>-<name>.yaml}: a pool of {@code replicas} running {@code exec} (a YAML
     * value), stopped within 2 s, with {@code extra} lines added to its template.
     */
    public static void writePool(String prefix, String name, int replicas, String exec, String extra) throws IOException {
        Files.writeString(PrivateServers.desiredStateDir().resolve(prefix + "-" + name + ".yaml"), "apiVersion: herd/v1\nkind: WorkerPool\n"
                + "metadata:\n  name: " + name + "\nspec:\n  replicas: " + replicas + "\n  template:\n    shutdownTimeout: 2s\n    exec: "
                + exec + "\n" + extra);
    }

    /** Deletes the files {@link #writePool} wrote for these pools and waits until Zinit runs none of their workers. */
    public static void removePools(String prefix, java.util.Collection<String> names) throws IOException {
        for (String name : names) {
            Files.deleteIfExists(PrivateServers.desiredStateDir().resolve(prefix + "-" + name + ".yaml"));
        }
        awaitGone(names);
    }

    /** The template's exec of a Hero worker with this runner (osis, sal, python, v, sh). */
    public static String exec(String runner) {
        return "[\"{{herdHome}}/workers/bin/hero-worker\", \"--runner\", \"" + runner
                + "\", \"--worker-id\", \"{{workerId}}\", \"--pool\", \"{{pool}}\"]";
    }

    /**
     * Writes pool {@code name} (its script type is its name) with {@code replicas} Hero workers
     * running shell jobs.
     *
     * @param extra more YAML under {@code spec:}, indented by two spaces (e.g. a health block), or ""
     */
    public static Path write(String name, int replicas, String extra) {
        return write(name, replicas, extra, "2s");
    }

    /** As {@link #write(String, int, String)}, with the workers' shutdownTimeout. */
    public static Path write(String name, int replicas, String extra, String shutdownTimeout) {
        return write(name, replicas, extra, shutdownTimeout, "sh");
    }

    /** As {@link #write(String, int, String, String)}, with the workers' runner. */
    public static Path write(String name, int replicas, String extra, String shutdownTimeout, String runner) {
        Path file = PrivateServers.desiredStateDir().resolve(name + ".yaml");
        String yaml = """
                apiVersion: herd/v1
                kind: WorkerPool
                metadata:
                  name: %s
                spec:
                  replicas: %d
                  template:
                    exec: %s
                    shutdownTimeout: %s
                """.formatted(name, replicas, exec(runner), shutdownTimeout) + extra.indent(2);
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
     * Waits until no worker of these pools runs: Zinit lists none of them, or only stopped ones (a
     * removed worker's service stays, parked, while a running service comes after it in Zinit's
     * list; docs/zinit-protocol.md, hazard 2). Test classes share one zinit-server: a class that
     * left its workers still stopping would have them finish during the next class.
     */
    public static void awaitGone(java.util.Collection<String> pools) {
        try (dev.herd.zinit.ZinitClient zinit = dev.herd.zinit.ZinitClients.connect(PrivateServers.zinit().socket(), "v0.3",
                Duration.ofSeconds(10), dev.herd.zinit.transport.JsonRpcTransport.Options.defaults())) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() ->
                    zinit.list().await().atMost(Duration.ofSeconds(10)).stream()
                            .noneMatch(s -> s.state().hasProcess() && pools.stream().anyMatch(p -> s.name().startsWith(p + "-"))));
        }
    }

    /** Waits until the API shows {@code replicas} ready workers in the pool. */
    public static void awaitReady(String name, int replicas) {
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                given().get("/api/v1/pools/" + name).then().statusCode(200).body("readyReplicas", equalTo(replicas)));
    }
}
