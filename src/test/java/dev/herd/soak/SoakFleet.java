package dev.herd.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herd.reconcile.WorkerNames;
import dev.herd.testing.PrivateHerd;
import dev.herd.testing.PrivateRedis;
import dev.herd.testing.PrivateZinit;
import dev.herd.zinit.Command;
import dev.herd.zinit.ServiceSpec;
import dev.herd.zinit.ServiceState;
import dev.herd.zinit.ServiceStatus;
import dev.herd.zinit.ZinitClient;
import dev.herd.zinit.ZinitClients;
import dev.herd.zinit.transport.JsonRpcTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the soak runs and looks at: a durable private Redis, a private zinit-server, Herd as a
 * separate JVM (the packaged jar), two pools of reference workers (one fixed, one scaled by queue
 * depth) and a few foreign Zinit services Herd must never touch.
 */
final class SoakFleet implements AutoCloseable {
    static final String FIXED = "soak-fixed";
    static final String AUTO = "soak-auto";
    static final int AUTO_MIN = 1;
    static final int AUTO_MAX = 6;
    static final List<String> FOREIGN = List.of("foreign-a", "foreign-b", "foreign-c");
    /** The soak Herd's controller id: the ownership label on its workers. */
    static final String CONTROLLER_ID = "soak";
    private static final Duration T = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    final Path dir;
    final PrivateRedis redis = PrivateRedis.startDurable();
    final PrivateZinit zinit = PrivateZinit.start();
    final ZinitClient client = ZinitClients.connect(zinit.socket(), "v0.3", T, JsonRpcTransport.Options.defaults());
    final Resp resp = new Resp(redis.port());
    /** The argument of the foreign services' sleep: unique to this run, so its processes are ours to find. */
    private final String foreignArg = "100000." + (10000 + ThreadLocalRandom.current().nextInt(90000));
    private final List<Long> herdPids = new ArrayList<>();
    private PrivateHerd herd;
    private int fixedReplicas = 3;
    private int templateGeneration;

    SoakFleet(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(desired());
    }

    Path desired() {
        return dir.resolve("desired");
    }

    int fixedReplicas() {
        return fixedReplicas;
    }

    int templateGeneration() {
        return templateGeneration;
    }

    /** A service's environment, empty when Zinit does not answer. */
    Map<String, String> env(String service) {
        try {
            return client.env(service).await().atMost(T);
        } catch (RuntimeException e) {
            return Map.of();
        }
    }

    // ---- desired state -------------------------------------------------------------------------

    private static final String WORKER = """
              template:
                exec: HERO_EXEC
                shutdownTimeout: 5s
                env: {SOAK_GENERATION: "%d"}
              health:
                pingAfterIdle: 2s
                pingTimeout: 3s
                failureThreshold: 2
            """.replace("HERO_EXEC", dev.herd.testing.HeroPools.EXEC);

    String fixedYaml(int replicas, int generation) {
        return "apiVersion: herd/v1\nkind: WorkerPool\nmetadata:\n  name: " + FIXED + "\nspec:\n  replicas: " + replicas + "\n"
                + WORKER.formatted(generation);
    }

    String autoYaml() {
        return "apiVersion: herd/v1\nkind: WorkerPool\nmetadata:\n  name: " + AUTO + "\nspec:\n  replicas: " + AUTO_MIN + "\n"
                + "  autoscaling:\n    minReplicas: " + AUTO_MIN + "\n    maxReplicas: " + AUTO_MAX + "\n"
                + "    targetQueueLengthPerReplica: 4\n    cooldown: 10s\n    scaleDownStabilization: 10s\n" + WORKER.formatted(0);
    }

    void writeInitialPools() throws IOException {
        write(FIXED + ".yaml", fixedYaml(fixedReplicas, templateGeneration));
        write(AUTO + ".yaml", autoYaml());
    }

    void setFixedReplicas(int replicas) throws IOException {
        fixedReplicas = replicas;
        write(FIXED + ".yaml", fixedYaml(fixedReplicas, templateGeneration));
    }

    void bumpTemplate() throws IOException {
        templateGeneration++;
        write(FIXED + ".yaml", fixedYaml(fixedReplicas, templateGeneration));
    }

    /** Puts the fixed pool's last good file back (an unchanged spec: nothing to do for Herd). */
    void restoreFixed() throws IOException {
        write(FIXED + ".yaml", fixedYaml(fixedReplicas, templateGeneration));
    }

    /** Writes a file the way a checkout does: aside, then renamed over the old one. */
    void write(String name, String content) throws IOException {
        Path tmp = desired().resolve("." + name + ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, desired().resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    void delete(String name) throws IOException {
        Files.deleteIfExists(desired().resolve(name));
    }

    // ---- Herd ----------------------------------------------------------------------------------

    PrivateHerd startHerd() {
        herd = PrivateHerd.launch(Map.of(
                "herd.zinit.socket", zinit.socket().toString(),
                "quarkus.redis.hosts", redis.url(),
                "herd.desired-state.dir", desired().toString(),
                "herd.controller-id", CONTROLLER_ID,
                "herd.home", PrivateHerd.projectRoot().toString()),
                List.of("-Xmx256m"), dir.resolve("herd-" + herdPids.size() + ".log"));
        herd.awaitUp(Duration.ofSeconds(90));
        herdPids.add(herd.pid());
        return herd;
    }

    PrivateHerd herd() {
        return herd;
    }

    /** Which Herd process this is (0 for the first, 1 after the first restart, ...). */
    int herdIncarnation() {
        return herdPids.size() - 1;
    }

    /** Every pool as Herd's API shows it, by name; empty when Herd does not answer. */
    Optional<Map<String, JsonNode>> pools() {
        Optional<String> body = herd == null ? Optional.empty() : herd.get("/api/v1/pools");
        if (body.isEmpty()) {
            return Optional.empty();
        }
        try {
            Map<String, JsonNode> pools = new LinkedHashMap<>();
            JSON.readTree(body.get()).forEach(p -> pools.put(p.path("name").asText(), p));
            return Optional.of(pools);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Zinit's services, empty when Zinit does not answer. */
    Optional<List<ServiceStatus>> services() {
        try {
            return Optional.of(client.list().await().atMost(T));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    static List<ServiceStatus> of(String pool, List<ServiceStatus> services) {
        return services.stream().filter(s -> WorkerNames.ordinalIn(pool, s.name()).isPresent()).toList();
    }

    static boolean running(ServiceStatus s) {
        return s.state() == ServiceState.RUNNING && s.pid() > 0;
    }

    /** Stray processes Herd killed or froze ({@code reason} StrayKilled or StrayFrozen), from every Herd process's log. */
    int strays(String reason) {
        int n = 0;
        java.util.regex.Pattern count = java.util.regex.Pattern.compile(" " + reason + ": \\S+(?: \\(SIGSTOP\\))? (\\d+) process");
        for (int i = 0; Files.exists(dir.resolve("herd-" + i + ".log")); i++) {
            try (java.util.stream.Stream<String> lines = Files.lines(dir.resolve("herd-" + i + ".log"))) {
                n += lines.mapToInt(l -> {
                    java.util.regex.Matcher m = count.matcher(l);
                    return m.find() ? Integer.parseInt(m.group(1)) : 0;
                }).sum();
            } catch (IOException | java.io.UncheckedIOException e) {
                // a log not readable counts nothing
            }
        }
        return n;
    }

    /** The reference worker's own pid (bash, below Zinit's sh wrapper), from its status hash; 0 when unknown or dead. */
    long workerPid(String worker) {
        try {
            Object pid = resp.call("HGET", "herd:worker:" + worker, "pid");
            long p = pid instanceof String s && !s.isEmpty() ? Long.parseLong(s) : 0;
            return p > 0 && ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false) ? p : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    // ---- foreign services ----------------------------------------------------------------------

    void createForeignServices() {
        for (String name : FOREIGN) {
            client.create(ServiceSpec.of(name, new Command.Argv(List.of("sleep", foreignArg)))).await().atMost(T);
        }
    }

    /** Each foreign service's pid, when all run; empty otherwise. */
    Optional<Map<String, Integer>> foreignPids() {
        Optional<List<ServiceStatus>> services = services();
        if (services.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Integer> pids = new LinkedHashMap<>();
        for (ServiceStatus s : services.get()) {
            if (FOREIGN.contains(s.name()) && running(s)) {
                pids.put(s.name(), s.pid());
            }
        }
        return pids.size() == FOREIGN.size() ? Optional.of(pids) : Optional.empty();
    }

    /** Each foreign service's file in Zinit's config directory: Herd must never rewrite or delete one. */
    Map<String, String> foreignConfigs() throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        for (String name : FOREIGN) {
            Path file = zinit.configDir().resolve(name + ".toml");
            files.put(name, Files.exists(file) ? Files.readString(file) : "(missing)");
        }
        return files;
    }

    // ---- teardown ------------------------------------------------------------------------------

    /** Stops Herd (SIGTERM), then zinit-server gracefully (which stops every worker), then Redis. */
    @Override
    public void close() {
        if (herd != null) {
            herd.stop();
        }
        client.close();
        zinit.close();
        redis.close();
        StrayWorkers.killAll(CONTROLLER_ID); // strays Herd froze outlive Zinit and Herd: the run leaves nothing behind
    }
}
