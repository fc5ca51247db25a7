package dev.herd.bench;

import dev.herd.desired.Autoscaling;
import dev.herd.jobs.KeyProfile;
import dev.herd.scaling.Autoscaler;
import dev.herd.scaling.QueueReader;
import dev.herd.scaling.ScaledPool;
import dev.herd.scaling.ScalingSettings;
import dev.herd.testing.PrivateRedis;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.redis.client.RedisOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * bin/bench scaling: what the scaler costs Redis and how fast it answers a burst.
 * <ol>
 *   <li>Redis commands per second spent watching 50 pools (INFO commandstats deltas over 10 s), at
 *       zero and with 2 workers each (the scaling shell wired by hand to a private redis-server);</li>
 *   <li>burst to a changed desired count (and a reconcile pass asked for), pool at zero, 12 runs;</li>
 *   <li>empty queue to the count back at min, with cooldown 2 s and a 2 s down window;</li>
 *   <li>end to end with the packaged jar and a real zinit-server: burst to the first and the tenth
 *       worker Running, against Zinit's own start time ({@link ScalingReactionBench}).</li>
 * </ol>
 */
public final class ScalingBench {
    private static final KeyProfile KEYS = KeyProfile.HERO;

    private ScalingBench() {
    }

    public static void main(String[] args) throws Exception {
        try (PrivateRedis server = PrivateRedis.start()) {
            Vertx vertx = Vertx.vertx();
            Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(server.url()));
            try {
                watchCost(redis, 0);
                watchCost(redis, 2);
                burstReaction(redis);
                new ScalingReactionBench(server, redis).run(12);
            } finally {
                redis.close();
                vertx.closeAndAwait();
            }
        }
        System.exit(0); // the rig's shutdown hooks stop redis-server
    }

    private static void watchCost(Redis redis, int workersPerPool) throws Exception {
        Autoscaling spec = new Autoscaling(0, 10, 5, 0, Duration.ofSeconds(30), Duration.ZERO, Duration.ofSeconds(60), 10,
                Optional.empty(), Optional.empty(), Duration.ofSeconds(15), Optional.empty(), 3);
        List<ScaledPool> pools = IntStream.range(0, 50).mapToObj(i -> new ScaledPool("bench" + i, Optional.of(spec),
                workersPerPool, IntStream.range(0, workersPerPool).mapToObj(w -> "bench" + i + "-" + w).toList(),
                workersPerPool, 0)).toList();
        Autoscaler scaler = new Autoscaler(settings(), new QueueReader(redis, KEYS, Duration.ofSeconds(2)), () -> pools,
                () -> { }, e -> { }, new SimpleMeterRegistry(), Clock.systemUTC(), Optional.empty());
        scaler.start();
        Thread.sleep(1500); // first reads settle the state
        long before = commands(redis);
        long started = System.nanoTime();
        Thread.sleep(10_000);
        long after = commands(redis);
        double seconds = (System.nanoTime() - started) / 1e9;
        scaler.stop();
        // the INFO call itself counts once
        double perSecond = (after - before - 1) / seconds;
        System.out.printf("watch 50 pools, %d workers each: %.0f Redis commands/s (%.1f per pool per second)%n",
                workersPerPool, perSecond, perSecond / 50);
    }

    private static void burstReaction(Redis redis) throws Exception {
        Autoscaling spec = new Autoscaling(0, 10, 5, 0, Duration.ofSeconds(2), Duration.ZERO, Duration.ofSeconds(2), 10,
                Optional.empty(), Optional.empty(), Duration.ofSeconds(15), Optional.empty(), 3);
        List<ScaledPool> pools = List.of(new ScaledPool("burst", Optional.of(spec), 0, List.of(), 0, 0));
        List<Long> toScaled = new ArrayList<>();
        List<Long> toZero = new ArrayList<>();
        for (int run = 0; run < 12; run++) {
            java.util.concurrent.atomic.AtomicLong changedAt = new java.util.concurrent.atomic.AtomicLong(); // first trigger: the pass asked for
            Autoscaler scaler = new Autoscaler(settings(), new QueueReader(redis, KEYS, Duration.ofSeconds(2)), () -> pools,
                    () -> changedAt.compareAndSet(0, System.nanoTime()), e -> { }, new SimpleMeterRegistry(), Clock.systemUTC(), Optional.empty());
            scaler.start();
            Thread.sleep(300 + (run * 37) % 250); // land the burst at a different point of the idle tick each run
            long burst = System.nanoTime();
            List<Request> pushes = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                pushes.add(Request.cmd(Command.LPUSH).arg(KEYS.workQueue("burst")).arg("job-" + i));
            }
            redis.batch(pushes).await().atMost(Duration.ofSeconds(5));
            while (changedAt.get() == 0) {
                Thread.onSpinWait();
            }
            toScaled.add((changedAt.get() - burst) / 1_000_000);
            redis.send(Request.cmd(Command.DEL).arg(KEYS.workQueue("burst"))).await().atMost(Duration.ofSeconds(2));
            long emptied = System.nanoTime();
            while (scaler.replicas("burst", 0) != 0) {
                Thread.sleep(5);
            }
            toZero.add((System.nanoTime() - emptied) / 1_000_000);
            scaler.stop();
        }
        System.out.printf("burst of 500 at a pool at zero -> desired 10 and a reconcile pass asked for: %s%n", stats(toScaled));
        System.out.printf("queue emptied -> back to 0 (cooldown 2s, down window 2s): %s%n", stats(toZero));
    }

    private static String stats(List<Long> ms) {
        List<Long> sorted = ms.stream().sorted().toList();
        return String.format("median %d ms, p90 %d ms, max %d ms (n=%d)", sorted.get(sorted.size() / 2),
                sorted.get((int) Math.ceil(sorted.size() * 0.9) - 1), sorted.get(sorted.size() - 1), sorted.size());
    }

    /** Total calls of every command so far, from INFO commandstats. */
    private static long commands(Redis redis) {
        String info = redis.send(Request.cmd(Command.INFO).arg("commandstats")).await().atMost(Duration.ofSeconds(2)).toString();
        long total = 0;
        for (String line : info.split("\r?\n")) {
            int at = line.indexOf("calls=");
            if (line.startsWith("cmdstat_") && at > 0) {
                total += Long.parseLong(line.substring(at + 6, line.indexOf(',', at)));
            }
        }
        return total;
    }

    private static ScalingSettings settings() {
        return new ScalingSettings() {
            public Duration tick() {
                return Duration.ofSeconds(1);
            }

            public Duration idleTick() {
                return Duration.ofMillis(250);
            }

            public Duration readTimeout() {
                return Duration.ofSeconds(2);
            }

            public boolean keyspaceNotifications() {
                return false;
            }

            public Duration maxOverrideTtl() {
                return Duration.ofHours(1);
            }
        };
    }
}
