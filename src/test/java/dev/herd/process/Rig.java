package dev.herd.process;

import static org.awaitility.Awaitility.await;

import dev.herd.reconcile.WorkerNames;
import dev.herd.testing.PrivateHerd;
import dev.herd.testing.PrivateRedis;
import dev.herd.testing.PrivateZinit;
import dev.herd.zinit.ServiceStatus;
import dev.herd.zinit.ZinitClient;
import dev.herd.zinit.ZinitClients;
import dev.herd.zinit.transport.JsonRpcTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One private zinit-server, redis-server and desired-state folder, and the Herd JVMs started on
 * them. Workers run {@code sleep} with an argument unique to this rig, so the test can count its
 * own processes (and prove none is left) without matching anyone else's.
 */
final class Rig implements AutoCloseable {
    static final Duration T = Duration.ofSeconds(60);

    final PrivateZinit zinit = PrivateZinit.start();
    final PrivateRedis redis = PrivateRedis.start();
    final ZinitClient client = ZinitClients.connect(zinit.socket(), "v0.3", Duration.ofSeconds(10), JsonRpcTransport.Options.defaults());
    final Path dir;
    final String controllerId = "jar-it";
    /** A sleep duration no other process on the host uses: {@code sleep 100000.NNNNN}. */
    final String sleepArg = "100000." + (10000 + ThreadLocalRandom.current().nextInt(90000));
    private final List<PrivateHerd> herds = new ArrayList<>();

    Rig() throws IOException {
        dir = Files.createTempDirectory("herd-jar-it-");
        Files.createDirectories(desired());
    }

    Path desired() {
        return dir.resolve("desired");
    }

    void writePool(String name, int replicas, String exec, List<String> after) throws IOException {
        String afterLine = after.isEmpty() ? "" : "    after: [" + String.join(", ", after) + "]\n";
        Files.writeString(desired().resolve(name + ".yaml"), "apiVersion: herd/v1\nkind: WorkerPool\nmetadata:\n  name: " + name
                + "\nspec:\n  scriptType: " + name + "\n  replicas: " + replicas + "\n  template:\n    exec: " + exec + "\n" + afterLine
                + "    shutdownTimeout: 5s\n");
    }

    PrivateHerd herd(Map<String, String> extra) {
        Map<String, String> props = new HashMap<>(Map.of(
                "herd.zinit.socket", zinit.socket().toString(),
                "quarkus.redis.hosts", redis.url(),
                "herd.desired-state.dir", desired().toString(),
                "herd.controller-id", controllerId,
                "herd.home", dir.toString()));
        props.putAll(extra);
        PrivateHerd herd = PrivateHerd.launch(props, List.of("-Xmx256m"), dir.resolve("herd-" + herds.size() + ".log"));
        herds.add(herd);
        return herd;
    }

    List<ServiceStatus> services(String pool) {
        return client.list().await().atMost(T).stream().filter(s -> WorkerNames.ordinalIn(pool, s.name()).isPresent()).toList();
    }

    List<ServiceStatus> awaitRunning(String pool, int count) {
        return await().atMost(T).pollInterval(Duration.ofMillis(100)).until(() -> services(pool),
                l -> l.size() == count && l.stream().allMatch(s -> s.state() == dev.herd.zinit.ServiceState.RUNNING && s.pid() > 0));
    }

    /** This rig's worker processes: the {@code sleep} with its unique argument (not their sh wrappers). */
    List<ProcessHandle> sleeps() {
        return ProcessHandle.allProcesses().filter(p -> p.info().command().map(c -> c.endsWith("/sleep")).orElse(false)
                && p.info().arguments().map(a -> a.length == 1 && a[0].equals(sleepArg)).orElse(false)).toList();
    }

    /** What {@code pgrep -f} finds of this rig's workers (wrappers included), as an outsider would check. */
    List<String> pgrep() {
        try {
            Process p = new ProcessBuilder("pgrep", "-f", "sleep " + sleepArg.replace(".", "\\.")).redirectErrorStream(true).start();
            if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("pgrep did not answer in 10s");
            }
            return new String(p.getInputStream().readAllBytes()).lines().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run pgrep: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops every Herd, then zinit-server gracefully (which stops its workers), then Redis. */
    void shutdown() {
        herds.forEach(PrivateHerd::close);
        client.close();
        zinit.close();
        redis.close();
    }

    /** {@link #shutdown()}, then ends any worker left behind, so a failed test leaves nothing running. */
    @Override
    public void close() {
        shutdown();
        sleeps().forEach(ProcessHandle::destroyForcibly);
    }
}
