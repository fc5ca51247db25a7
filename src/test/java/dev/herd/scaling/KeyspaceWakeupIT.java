package dev.herd.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herd.jobs.JobsConfig;
import dev.herd.testing.PrivateServersResource;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The wake-up from zero against the run's real redis-server, over the client Herd uses (RESP3, where
 * CONFIG GET answers a map): the flags are added, and a push to a pool's queue names that pool.
 */
@QuarkusTest
@QuarkusTestResource(value = PrivateServersResource.class, restrictToAnnotatedClass = false)
class KeyspaceWakeupIT {
    private static final Duration T = Duration.ofSeconds(10);

    @Inject
    ReactiveRedisDataSource redis;

    @Inject
    JobsConfig jobs;

    @Test
    void aPushToAPoolQueueWakesThatPool() throws InterruptedException {
        KeyspaceWakeup wakeup = new KeyspaceWakeup(redis, jobs.keyProfile());
        BlockingQueue<String> woken = new LinkedBlockingQueue<>();
        wakeup.start(woken::add);
        try {
            String pool = "kswake" + System.nanoTime();
            String name = "";
            // the subscription is made asynchronously: push until a notification names the pool
            for (int i = 0; i < 50 && !pool.equals(name); i++) {
                redis.list(String.class).lpush(jobs.keyProfile().workQueue(pool), "job-" + i).await().atMost(T);
                String got = woken.poll(200, TimeUnit.MILLISECONDS);
                name = got == null ? name : got;
            }
            assertThat(name).as("a push woke the pool it was for").isEqualTo(pool);
            String flags = KeyspaceWakeup.configValue(redis.execute("CONFIG", "GET", "notify-keyspace-events").await().atMost(T),
                    "notify-keyspace-events");
            assertThat(flags).contains("K").containsAnyOf("l", "A");
            redis.key().del(jobs.keyProfile().workQueue(pool)).await().atMost(T);
        } finally {
            wakeup.stop();
        }
    }
}
