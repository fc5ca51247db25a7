package dev.herd.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herd.testing.PrivateHerd;
import dev.herd.testing.PrivateRedis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
        try (PrivateRedis redis = PrivateRedis.start(); Worker worker = new Worker(redis, Map.of("HERD_BEAT_SECONDS", "1"))) {
            submit(redis, "j1", "sleep 12");
            await().atMost(T).until(() -> cli(redis, "HGET", "hero:job:j1", "status").equals("started"));
            long pid = worker.pid(redis);

            kill("-STOP", pid);
            await().atMost(T).until(() -> Files.readString(Path.of("/proc/" + pid + "/stat")).split(" ")[2].equals("T"));
            Thread.sleep(1500); // a beat already under way when the worker stopped may still land
            String frozenBeat = cli(redis, "HGET", "hero:job:j1", "heartbeat");
            Thread.sleep(3500); // three beat periods
            assertThat(cli(redis, "HGET", "hero:job:j1", "heartbeat")).as("job heartbeat while the worker is frozen").isEqualTo(frozenBeat);
            assertThat(cli(redis, "HGET", "herd:worker:frozen-0", "beat")).as("worker beat while frozen").isEqualTo(frozenBeat);

            kill("-CONT", pid);
            await().atMost(T).until(() -> !cli(redis, "HGET", "hero:job:j1", "heartbeat").equals(frozenBeat));
        }
    }

    /**
     * A job the worker took just before Redis went away must be started once Redis is back. The
     * worker used to read the failed start as "the job's hash is gone", and dropped it (or left it
     * in its processing list for good): the job stayed dispatched forever.
     */
    @Test
    void aJobTakenJustBeforeRedisWentAwayRunsWhenRedisIsBack() throws Exception {
        try (PrivateRedis redis = PrivateRedis.startDurable(); Worker worker = new Worker(redis, Map.of("HERD_POLL_SECONDS", "5"))) {
            long pid = worker.pid(redis);
            // freeze the worker while its redis-cli waits on the pool queue: that call still takes the job
            while (true) {
                kill("-STOP", pid);
                if (ProcessHandle.of(pid).orElseThrow().descendants().anyMatch(p -> p.info().command().map(c -> c.endsWith("redis-cli")).orElse(false))) {
                    break;
                }
                kill("-CONT", pid);
                Thread.sleep(100);
            }
            submit(redis, "j2", "echo ran");
            await().atMost(T).until(() -> cli(redis, "LRANGE", "herd:processing:frozen-0", "0", "-1").equals("j2"));
            redis.stop();
            kill("-CONT", pid); // the worker now tries to start the job with Redis gone
            Thread.sleep(2500);
            redis.launch();
            await().atMost(T).until(() -> cli(redis, "HGET", "hero:job:j2", "status").equals("finished"));
            assertThat(cli(redis, "HGET", "hero:job:j2", "output")).isEqualTo("ran");
            assertThat(cli(redis, "LLEN", "herd:processing:frozen-0")).isEqualTo("0");
        }
    }

    /** One reference worker, worker id frozen-0, pool frozen. */
    private static final class Worker implements AutoCloseable {
        private final Process process;

        Worker(PrivateRedis redis, Map<String, String> env) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(PrivateHerd.projectRoot().resolve("workers/reference-worker").toString(),
                    "--redis-url", redis.url(), "--worker-id", "frozen-0", "--pool", "frozen")
                    .redirectErrorStream(true).redirectOutput(Files.createTempFile("reference-worker-", ".log").toFile());
            pb.environment().putAll(env);
            process = pb.start();
        }

        /** Its pid, once it has written its status hash (it is then taking jobs). */
        long pid(PrivateRedis redis) {
            String pid = await().atMost(T).until(() -> cli(redis, "HGET", "herd:worker:frozen-0", "pid"), p -> !p.isEmpty());
            assertThat(Long.parseLong(pid)).isEqualTo(process.pid());
            return process.pid();
        }

        @Override
        public void close() throws InterruptedException {
            ProcessHandle.of(process.pid()).ifPresent(p -> {
                try {
                    kill("-CONT", p.pid());
                } catch (IOException | InterruptedException e) {
                    // ending it anyway below
                }
            });
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static void submit(PrivateRedis redis, String id, String script) throws IOException, InterruptedException {
        cli(redis, "HSET", "hero:job:" + id, "id", id, "script", script, "timeout", "30", "status", "dispatched", "pool", "frozen");
        cli(redis, "LPUSH", "hero:work_queue:frozen", id);
    }

    private static String cli(PrivateRedis redis, String... args) throws IOException, InterruptedException {
        List<String> argv = new java.util.ArrayList<>(List.of("redis-cli", "-p", Integer.toString(redis.port()), "--raw"));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("redis-cli did not answer in 5 s");
        }
        return new String(p.getInputStream().readAllBytes()).strip();
    }

    private static void kill(String signal, long pid) throws IOException, InterruptedException {
        new ProcessBuilder("kill", signal, Long.toString(pid)).start().waitFor();
    }
}
