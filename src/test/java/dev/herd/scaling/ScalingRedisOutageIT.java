package dev.herd.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herd.desired.Autoscaling;
import dev.herd.jobs.KeyProfile;
import dev.herd.reconcile.Event;
import dev.herd.testing.PrivateRedis;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis stopped for 30 s under load, with the scaling shell wired by hand to its own redis-server:
 * the count is held (never lowered on missing data), ScalingHeld is an event and a condition, and
 * scaling resumes when Redis is back.
 */
class ScalingRedisOutageIT {
    private static final KeyProfile KEYS = KeyProfile.HERO;
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger triggers = new AtomicInteger();
    private PrivateRedis server;
    private Vertx vertx;
    private Redis redis;
    private Autoscaler scaler;

    @BeforeEach
    void wire() {
        // a Quarkus test earlier in this JVM leaves Mutiny's context propagation bound to its stopped app
        io.smallrye.mutiny.infrastructure.Infrastructure.clearInterceptors();
        server = PrivateRedis.start();
        vertx = Vertx.vertx();
        redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(server.url()));
        // fallback 2 after 3 failures: below the held 4, so it must not lower the count
        Autoscaling spec = new Autoscaling(0, 10, 5, 0, Duration.ofSeconds(5), Duration.ZERO, Duration.ofSeconds(2), 10,
                Optional.empty(), Optional.empty(), Duration.ofSeconds(15), Optional.of(2), 3);
        ScaledPool pool = new ScaledPool("outage", Optional.of(spec), 0, List.of("outage-0", "outage-1"), 2, 0);
        scaler = new Autoscaler(settings(), new QueueReader(redis, KEYS, Duration.ofMillis(500)), () -> List.of(pool),
                triggers::incrementAndGet, events::add, new SimpleMeterRegistry(), Clock.systemUTC(), Optional.empty());
        scaler.start();
    }

    @AfterEach
    void unwire() {
        scaler.stop();
        redis.close();
        vertx.closeAndAwait();
        server.close();
        io.smallrye.mutiny.infrastructure.Infrastructure.reload();
    }

    @Test
    void theCountIsHeldWhileRedisIsDownAndScalingResumesAfter() throws Exception {
        push(17, 3); // 20 jobs of work: 4 workers
        // the count is published before the pass is asked for: wait for both
        await().atMost(Duration.ofSeconds(5)).until(() -> scaler.replicas("outage", -1) == 4 && triggers.get() > 0);
        int triggersBefore = triggers.get();

        server.stop();
        long stoppedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(5)).until(() -> reasons().contains("ScalingHeld"));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(scaler.status("outage").orElseThrow().conditions()).singleElement().satisfies(c -> {
                    assertThat(c.status()).isFalse();
                    assertThat(c.reason()).isEqualTo("ScalingHeld");
                    assertThat(c.message()).contains("Redis unreachable", "holding 4");
                }));
        while (System.nanoTime() - stoppedAt < Duration.ofSeconds(30).toNanos()) {
            assertThat(scaler.replicas("outage", -1)).as("held while Redis is down").isEqualTo(4);
            Thread.sleep(250);
        }
        assertThat(triggers.get()).as("no count change, no pass asked for").isEqualTo(triggersBefore);
        assertThat(reasons().stream().filter("ScalingHeld"::equals).count()).as("an event per outage, not per tick").isLessThanOrEqualTo(2);

        server.launch(); // a fresh, empty Redis (no persistence): the load comes back with the producers
        push(40, 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> reasons().contains("ScalingResumed"));
        await().atMost(Duration.ofSeconds(5)).until(() -> scaler.replicas("outage", -1) == 8);
        assertThat(scaler.status("outage").orElseThrow().conditions()).singleElement()
                .satisfies(c -> assertThat(c.status()).isTrue());
        // a reading between the restart and the push saw an empty queue and may have scaled down first:
        // what holds is that the count reached 8 from the 40 queued, not from the count held
        assertThat(events).filteredOn(e -> e.reason().equals("Scaled")).last()
                .satisfies(e -> assertThat(e.message()).contains("-> 8:").contains("queued=40"));
    }

    /** Queues {@code queued} jobs in one LPUSH (a reading sees none or all of them) and {@code inFlight} taken ones. */
    private void push(int queued, int inFlight) {
        io.vertx.mutiny.redis.client.Request lpush = io.vertx.mutiny.redis.client.Request.cmd(io.vertx.mutiny.redis.client.Command.LPUSH)
                .arg(KEYS.workQueue("outage"));
        for (int i = 0; i < queued; i++) {
            lpush.arg("job-" + i);
        }
        redis.send(lpush).await().atMost(Duration.ofSeconds(2));
        for (int i = 0; i < inFlight; i++) {
            redis.send(io.vertx.mutiny.redis.client.Request.cmd(io.vertx.mutiny.redis.client.Command.LPUSH)
                    .arg(KEYS.processingKey("outage-" + (i % 2))).arg("taken-" + i)).await().atMost(Duration.ofSeconds(2));
        }
    }

    private List<String> reasons() {
        return events.stream().map(Event::reason).toList();
    }

    private static ScalingSettings settings() {
        return new ScalingSettings() {
            public Duration tick() {
                return Duration.ofMillis(500);
            }

            public Duration idleTick() {
                return Duration.ofMillis(250);
            }

            public Duration readTimeout() {
                return Duration.ofMillis(500);
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
