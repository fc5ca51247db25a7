package dev.herd.jobs;

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
import org.junit.jupiter.api.Test;

/**
 * The reference worker under faults the soak found it mishandling (docs/RELIABILITY.md), each with
 * one worker process on a private Redis and no Herd.
 */
class ReferenceWorkerFaultsIT {
    private static final Duration T = Duration.ofSeconds(20);

    /**
     * The beater is a process of its own: while the worker is frozen (SIGSTOP) it must stop beating,
     * or Herd sees a busy, beating worker forever, never pings it, and its job never ends. When the
     * worker runs again, so does the beat.
     */
    @Test
    void aFrozenWorkerStopsBeatingAndBeatsAgainWhenThawed() throws Exception {
        try (PrivateRedis redis = PrivateRedis.start(); WorkerProcess worker = reference(redis, Map.of("HERD_BEAT_SECONDS", "1"))) {
            submit(redis, "j1", "sleep 12");
            await().atMost(T).until(() -> redis.cli("HGET", "hero:job:j1", "status").equals("started"));
            long pid = worker.pid(redis);

            Procs.kill("-STOP", pid);
            await().atMost(T).until(() -> Files.readString(Path.of("/proc/" + pid + "/stat")).split(" ")[2].equals("T"));
            Thread.sleep(1500); // a beat already under way when the worker stopped may still land
            String frozenBeat = redis.cli("HGET", "hero:job:j1", "heartbeat");
            Thread.sleep(3500); // three beat periods
            assertThat(redis.cli("HGET", "hero:job:j1", "heartbeat")).as("job heartbeat while the worker is frozen").isEqualTo(frozenBeat);
            assertThat(redis.cli("HGET", "herd:worker:frozen-0", "beat")).as("worker beat while frozen").isEqualTo(frozenBeat);

            Procs.kill("-CONT", pid);
            await().atMost(T).until(() -> !redis.cli("HGET", "hero:job:j1", "heartbeat").equals(frozenBeat));
        }
    }

    /**
     * A job the worker took just before Redis went away must be started once Redis is back. The
     * worker used to read the failed start as "the job's hash is gone", and dropped it (or left it
     * in its processing list for good): the job stayed dispatched forever.
     */
    @Test
    void aJobTakenJustBeforeRedisWentAwayRunsWhenRedisIsBack() throws Exception {
        try (PrivateRedis redis = PrivateRedis.startDurable(); WorkerProcess worker = reference(redis, Map.of("HERD_POLL_SECONDS", "5"))) {
            long pid = worker.pid(redis);
            // freeze the worker while its redis-cli waits on the pool queue: that call still takes the job
            while (true) {
                Procs.kill("-STOP", pid);
                if (ProcessHandle.of(pid).orElseThrow().descendants().anyMatch(p -> p.info().command().map(c -> c.endsWith("redis-cli")).orElse(false))) {
                    break;
                }
                Procs.kill("-CONT", pid);
                Thread.sleep(100);
            }
            submit(redis, "j2", "echo ran");
            worker.runsTheJobTakenJustBeforeRedisWentAway(redis, "j2", "ran");
        }
    }

    /** The reference worker keeps the bounds the Hero worker keeps, and its heartbeat while it prepares a job. */
    @Test
    void aJobWithAnOversizedOrGarbledEnvIsRefusedWithTheReasonAndTheNextOneRuns() throws Exception {
        try (PrivateRedis redis = PrivateRedis.start(); WorkerProcess worker = reference(redis, Map.of())) {
            worker.refusesJobsItCannotSafelyRunAndGoesOn(redis, "frozen");
        }
    }

    private static void submit(PrivateRedis redis, String id, String script) throws IOException, InterruptedException {
        redis.cli("HSET", "hero:job:" + id, "id", id, "script", script, "timeout", "30", "status", "dispatched", "pool", "frozen");
        redis.cli("LPUSH", "hero:work_queue:frozen", id);
    }

    /** One reference worker, worker id frozen-0, pool frozen. */
    private static WorkerProcess reference(PrivateRedis redis, Map<String, String> env) throws IOException {
        return new WorkerProcess(List.of(PrivateHerd.projectRoot().resolve("workers/reference-worker").toString(),
                "--redis-url", redis.url(), "--worker-id", "frozen-0", "--pool", "frozen"), "frozen-0", env);
    }
}
