package dev.herd.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herd.jobs.KeyProfile;
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
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

/**
 * {@code bin/bench scaling}, end to end: the packaged Herd jar with a private zinit-server and the
 * bench's redis-server, one autoscaled pool (min 0, max 10, 50 queued jobs per worker, cooldown
 * 2 s, down window 2 s). Each run pushes a burst of 500 job ids onto the pool's queue in one
 * pipeline and watches Zinit itself (a list every {@link #POLL}) for the first and the tenth worker
 * Running, then empties the queue and watches Herd's status for the desired count back at 0 and
 * Zinit for the last worker gone. The baseline, measured first on the same zinit-server: Zinit's
 * own start time, ten services of the same command created at once, to the first and the tenth
 * Running.
 */
final class ScalingReactionBench {
    private static final Duration POLL = Duration.ofMillis(5);
    private static final Duration T = Duration.ofSeconds(60);
    private static final String POOL = "bsc";
    private static final int WORKERS = 10;

    private final PrivateRedis redisServer;
    private final Redis redis;
    private final String sleepArg = "100000." + (10000 + ThreadLocalRandom.current().nextInt(90000));

    ScalingReactionBench(PrivateRedis redisServer, Redis redis) {
        this.redisServer = redisServer;
        this.redis = redis;
    }

    /** Prints the Markdown rows of the end-to-end figures. */
    void run(int runs) throws Exception {
        if (!PrivateHerd.built()) {
            System.out.println("end to end: skipped, " + PrivateHerd.jar() + " is missing (./mvnw -B -o package -DskipTests)");
            return;
        }
        Path dir = Files.createTempDirectory("herd-bench-scaling-");
        Path desired = Files.createDirectories(dir.resolve("desired"));
        try (PrivateZinit zinit = PrivateZinit.start()) {
            ZinitClient client = ZinitClients.connect(zinit.socket(), "v0.3", Duration.ofSeconds(10), JsonRpcTransport.Options.defaults());
            List<Long> zinitFirst = new ArrayList<>();
            List<Long> zinitAll = new ArrayList<>();
            for (int run = 0; run < runs; run++) {
                zinitStart(client, run, zinitFirst, zinitAll);
            }
            Files.writeString(desired.resolve(POOL + ".yaml"), """
                    apiVersion: herd/v1
                    kind: WorkerPool
                    metadata:
                      name: %s
                    spec:
                      template:
                        exec: ["sleep", "%s"]
                        shutdownTimeout: 2s
                      autoscaling:
                        minReplicas: 0
                        maxReplicas: %d
                        targetQueueLengthPerReplica: 50
                        cooldown: 2s
                        scaleDownStabilization: 2s
                    """.formatted(POOL, sleepArg, WORKERS));
            try (PrivateHerd herd = PrivateHerd.launch(Map.of(
                    "herd.zinit.socket", zinit.socket().toString(),
                    "quarkus.redis.hosts", redisServer.url(),
                    "herd.desired-state.dir", desired.toString(),
                    "herd.controller-id", "bench-scaling",
                    "herd.home", dir.toString()), List.of("-Xmx256m"), dir.resolve("herd.log")).awaitUp(T)) {
                await(() -> desiredReplicas(herd) == 0, "Herd reads the pool");
                List<Long> first = new ArrayList<>();
                List<Long> full = new ArrayList<>();
                List<Long> toMin = new ArrayList<>();
                List<Long> allGone = new ArrayList<>();
                for (int run = 0; run < runs; run++) {
                    await(() -> desiredReplicas(herd) == 0 && workers(client).isEmpty(), "the pool back at zero");
                    Thread.sleep(300 + ThreadLocalRandom.current().nextInt(400)); // land anywhere in the idle tick
                    burst(client, first, full);
                    long emptied = System.nanoTime();
                    redis.send(Request.cmd(io.vertx.mutiny.redis.client.Command.DEL).arg(KeyProfile.HERO.workQueue(POOL)))
                            .await().atMost(Duration.ofSeconds(2));
                    await(() -> desiredReplicas(herd) == 0, "desired back at 0");
                    toMin.add(ms(emptied));
                    await(() -> workers(client).isEmpty(), "every worker removed");
                    allGone.add(ms(emptied));
                }
                print(zinitFirst, zinitAll, first, full, toMin, allGone);
            } finally {
                client.close();
            }
        }
    }

    /** Ten services created at once by the client, as Herd's pass creates them; the first and the last Running. */
    private void zinitStart(ZinitClient client, int run, List<Long> first, List<Long> all) throws InterruptedException {
        List<String> names = IntStream.range(0, WORKERS).mapToObj(i -> "base" + run + "-" + i).toList();
        long start = System.nanoTime();
        Uni.join().all(names.stream().map(n -> client.create(ServiceSpec.of(n, new Command.Argv(List.of("sleep", sleepArg))))).toList())
                .andCollectFailures().await().atMost(T);
        long firstAt = 0;
        while (true) {
            long running = client.list().await().atMost(T).stream()
                    .filter(s -> names.contains(s.name()) && s.state() == ServiceState.RUNNING).count();
            if (running > 0 && firstAt == 0) {
                firstAt = ms(start);
            }
            if (running == WORKERS) {
                break;
            }
            Thread.sleep(POLL.toMillis());
        }
        first.add(firstAt);
        all.add(ms(start));
        // stopped, then deleted newest first: a delete moves nothing then (docs/zinit-protocol.md)
        for (String n : names) {
            client.stopAndWait(n, Duration.ofSeconds(5)).await().atMost(T);
        }
        for (int i = names.size() - 1; i >= 0; i--) {
            client.delete(names.get(i)).await().atMost(T);
        }
    }

    private void burst(ZinitClient client, List<Long> first, List<Long> full) throws InterruptedException {
        List<Request> pushes = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            pushes.add(Request.cmd(io.vertx.mutiny.redis.client.Command.LPUSH).arg(KeyProfile.HERO.workQueue(POOL)).arg("job-" + i));
        }
        long start = System.nanoTime();
        redis.batch(pushes).await().atMost(Duration.ofSeconds(5));
        long firstAt = 0;
        long deadline = System.nanoTime() + T.toNanos();
        while (System.nanoTime() < deadline) {
            long running = workers(client).stream().filter(s -> s.state() == ServiceState.RUNNING).count();
            if (running > 0 && firstAt == 0) {
                firstAt = ms(start);
            }
            if (running == WORKERS) {
                first.add(firstAt);
                full.add(ms(start));
                return;
            }
            Thread.sleep(POLL.toMillis());
        }
        throw new IllegalStateException("the pool did not reach " + WORKERS + " Running workers in " + T);
    }

    private static List<ServiceStatus> workers(ZinitClient client) {
        return client.list().await().atMost(T).stream().filter(s -> WorkerNames.ordinalIn(POOL, s.name()).isPresent()).toList();
    }

    private static int desiredReplicas(PrivateHerd herd) {
        return herd.get("/api/v1/pools/" + POOL).map(body -> {
            try {
                return new ObjectMapper().readTree(body).path("desiredReplicas").asInt(-1);
            } catch (java.io.IOException e) {
                return -1;
            }
        }).orElse(-1);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + T.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private static long ms(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1_000_000;
    }

    private static void print(List<Long> zinitFirst, List<Long> zinitAll, List<Long> first, List<Long> full, List<Long> toMin,
                              List<Long> allGone) {
        long zf = median(zinitFirst);
        long za = median(zinitAll);
        System.out.println();
        System.out.println("| end to end (Herd jar, zinit-server 0.3.9, " + first.size() + " runs) | median | p90 | max | baseline / anchor |");
        System.out.println("| --- | --- | --- | --- | --- |");
        System.out.printf("| Zinit's own start: 10 services created at once -> first Running | %s | baseline |%n", row(zinitFirst));
        System.out.printf("| Zinit's own start: 10 services created at once -> all 10 Running | %s | baseline |%n", row(zinitAll));
        System.out.printf("| burst of 500 -> first new worker Running | %s | Zinit's start + %d ms; KEDA 30–45 s (%.0f× faster) |%n",
                row(first), median(first) - zf, 37_500.0 / median(first));
        System.out.printf("| burst of 500 -> all 10 workers Running | %s | Zinit's start + %d ms; HPA ≥ 45 s + 15 s steps |%n",
                row(full), median(full) - za);
        System.out.printf("| queue emptied -> desired back at 0 (cooldown 2 s, down window 2 s) | %s | KEDA cooldown 300 s (%.0f× faster) |%n",
                row(toMin), 300_000.0 / median(toMin));
        System.out.printf("| queue emptied -> every worker stopped and deleted | %s | |%n", row(allGone));
    }

    private static String row(List<Long> ms) {
        List<Long> sorted = ms.stream().sorted().toList();
        return String.format("%d ms | %d ms | %d ms", sorted.get(sorted.size() / 2),
                sorted.get((int) Math.ceil(sorted.size() * 0.9) - 1), sorted.get(sorted.size() - 1));
    }

    private static long median(List<Long> ms) {
        return ms.stream().sorted().toList().get(ms.size() / 2);
    }
}
