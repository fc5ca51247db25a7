package dev.herd.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herd.testing.PrivateHerd;
import dev.herd.testing.PrivateRedis;
import dev.herd.testing.Procs;
import dev.herd.testing.WorkerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One Hero worker process on a private Redis, no Herd: what the job protocol asks of a worker
 * (docs/jobs.md) under stops, freezes and a Redis that goes away.
 */
class HeroWorkerIT {
    private static final Duration T = Duration.ofSeconds(20);

    @Test
    void anIdleWorkerStopsAtOnceOnSigterm() throws Exception {
        try (PrivateRedis redis = PrivateRedis.start(); WorkerProcess worker = hero(redis, Map.of())) {
            long pid = worker.pid(redis);
            long sent = System.nanoTime();
            Procs.kill("-TERM", pid);
            assertThat(worker.process().waitFor(5, TimeUnit.SECONDS)).as("exited").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - sent)).as("time to exit while blocked on Redis").isLessThan(Duration.ofSeconds(2));
            assertThat(worker.process().exitValue()).isZero();
            assertThat(redis.cli("HGET", "herd:worker:hero-0", "state")).isEqualTo("stopped");
        }
    }

    @Test
    void aBusyWorkerFinishesTheJobInHandOnSigtermThenStops() throws Exception {
        try (PrivateRedis redis = PrivateRedis.start(); WorkerProcess worker = hero(redis, Map.of())) {
            long pid = worker.pid(redis);
            submit(redis, "j1", "sleep 2; echo done");
            await().atMost(T).until(() -> redis.cli("HGET", "hero:job:j1", "status").equals("started"));
            Procs.kill("-TERM", pid);
            assertThat(worker.process().waitFor(15, TimeUnit.SECONDS)).as("exited").isTrue();
            assertThat(redis.cli("HMGET", "hero:job:j1", "status", "output")).isEqualTo("finished\ndone");
            assertThat(redis.cli("LRANGE", "hero:reply:j1", "0", "-1")).isEqualTo("finished");
            assertThat(redis.cli("LLEN", "herd:processing:hero-0")).isEqualTo("0");
        }
    }

    @Test
    void aPingIsAnsweredAtOnceEvenWhileAJobRuns() throws Exception {
        try (PrivateRedis redis = PrivateRedis.start(); WorkerProcess worker = hero(redis, Map.of())) {
            worker.pid(redis);
            submit(redis, "long", "sleep 5");
            await().atMost(T).until(() -> redis.cli("HGET", "hero:job:long", "status").equals("started"));
            redis.cli("HSET", "hero:job:p1", "id", "p1", "script", "ping", "status", "dispatched");
            long pushed = System.nanoTime();
            redis.cli("LPUSH", "hero:work_queue:hero-0", "p1");
            await().atMost(T).pollInterval(Duration.ofMillis(20)).until(() -> redis.cli("HGET", "hero:job:p1", "status").equals("finished"));
            assertThat(Duration.ofNanos(System.nanoTime() - pushed)).isLessThan(Duration.ofSeconds(2));
            assertThat(redis.cli("HGET", "hero:job:p1", "output")).isEqualTo("pong");
            assertThat(redis.cli("HMGET", "herd:worker:hero-0", "state", "current_job")).as("still busy with its job").isEqualTo("busy\nlong");
            assertThat(redis.cli("HGET", "hero:job:long", "status")).isEqualTo("started");
        }
    }

    /**
     * Frozen (SIGSTOP), the worker must stop beating, or Herd sees a busy, beating worker forever,
     * never pings it, and its job never ends; thawed, it beats again.
     */
    @Test
    void aFrozenWorkerStopsBeatingAndBeatsAgainWhenThawed() throws Exception {
        try (PrivateRedis redis = PrivateRedis.start(); WorkerProcess worker = hero(redis, Map.of("HERD_BEAT_SECONDS", "1"))) {
            long pid = worker.pid(redis);
            submit(redis, "j1", "sleep 12");
            await().atMost(T).until(() -> redis.cli("HGET", "hero:job:j1", "status").equals("started"));
            Procs.kill("-STOP", pid);
            await().atMost(T).until(() -> Files.readString(Path.of("/proc/" + pid + "/stat")).split(" ")[2].equals("T"));
            Thread.sleep(1500); // a beat already under way when the worker stopped may still land
            String frozenBeat = redis.cli("HGET", "hero:job:j1", "heartbeat");
            Thread.sleep(3500); // three beat periods
            assertThat(redis.cli("HGET", "hero:job:j1", "heartbeat")).as("job heartbeat while the worker is frozen").isEqualTo(frozenBeat);
            Procs.kill("-CONT", pid);
            await().atMost(T).until(() -> !redis.cli("HGET", "hero:job:j1", "heartbeat").equals(frozenBeat));
        }
    }

    /**
     * A job Redis handed the worker (moved into its processing list) just before Redis went away
     * is started once Redis is back: a failed call is never read as "no job".
     */
    @Test
    void aJobTakenJustBeforeRedisWentAwayRunsWhenRedisIsBack() throws Exception {
        try (PrivateRedis redis = PrivateRedis.startDurable(); WorkerProcess worker = hero(redis, Map.of())) {
            long pid = worker.pid(redis);
            Procs.kill("-STOP", pid); // blocked on the pool queue: Redis still moves the job to it
            await().atMost(T).until(() -> Files.readString(Path.of("/proc/" + pid + "/stat")).split(" ")[2].equals("T"));
            submit(redis, "j2", "echo ran");
            worker.runsTheJobTakenJustBeforeRedisWentAway(redis, "j2", "ran");
        }
    }

    /** A job whose env the worker cannot safely take ends with an error naming the bound; the worker goes on. */
    @Test
    void aJobWithAnOversizedEnvIsRefusedWithTheReasonAndTheNextOneRuns() throws Exception {
        try (PrivateRedis redis = PrivateRedis.start(); WorkerProcess worker = hero(redis, Map.of())) {
            worker.refusesJobsItCannotSafelyRunAndGoesOn(redis, "hero");
        }
    }

    /** A job id whose key is not a hash is refused by Redis on every try: the worker leaves it and goes on. */
    @Test
    void aJobKeyThatIsNotAHashDoesNotWedgeTheWorker() throws Exception {
        try (PrivateRedis redis = PrivateRedis.start(); WorkerProcess worker = hero(redis, Map.of())) {
            worker.pid(redis);
            redis.cli("SET", "hero:job:odd", "not a hash");
            redis.cli("LPUSH", "hero:work_queue:hero", "odd");
            submit(redis, "after", "echo after");
            await().atMost(T).until(() -> redis.cli("HGET", "hero:job:after", "output").equals("after"));
            assertThat(redis.cli("LLEN", "herd:processing:hero-0")).isEqualTo("0");
            assertThat(redis.cli("GET", "hero:job:odd")).isEqualTo("not a hash");
        }
    }

    /** One Hero worker, worker id hero-0, pool hero, runner sh; Redis's address in its environment only. */
    private static WorkerProcess hero(PrivateRedis redis, Map<String, String> env) throws IOException {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("HERD_REDIS_URL", redis.url());
        return new WorkerProcess(List.of(PrivateHerd.projectRoot().resolve("workers/bin/hero-worker").toString(),
                "--runner", "sh", "--worker-id", "hero-0", "--pool", "hero"), "hero-0", all);
    }

    private static void submit(PrivateRedis redis, String id, String script) throws IOException, InterruptedException {
        redis.cli("HSET", "hero:job:" + id, "id", id, "script", script, "timeout", "30", "status", "dispatched", "pool", "hero");
        redis.cli("LPUSH", "hero:work_queue:hero", id);
    }
}
