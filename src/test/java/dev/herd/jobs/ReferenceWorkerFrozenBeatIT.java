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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The reference worker's beater is a process of its own: while the worker is frozen (SIGSTOP) it
 * must stop beating, or Herd sees a busy, beating worker forever, never pings it, and its job never
 * ends (found by the soak: a frozen worker holding a job was never restarted). When the worker runs
 * again, so does the beat.
 */
class ReferenceWorkerFrozenBeatIT {
    private static final Duration T = Duration.ofSeconds(20);

    @Test
    void aFrozenWorkerStopsBeatingAndBeatsAgainWhenThawed() throws Exception {
        try (PrivateRedis redis = PrivateRedis.start()) {
            Path log = Files.createTempFile("reference-worker-", ".log");
            ProcessBuilder pb = new ProcessBuilder(PrivateHerd.projectRoot().resolve("workers/reference-worker").toString(),
                    "--redis-url", redis.url(), "--worker-id", "frozen-0", "--pool", "frozen")
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("HERD_BEAT_SECONDS", "1");
            Process worker = pb.start();
            try {
                redis("HSET", redis, "hero:job:j1", "id", "j1", "script", "sleep 12", "timeout", "30", "status", "dispatched", "pool", "frozen");
                redis("LPUSH", redis, "hero:work_queue:frozen", "j1");
                await().atMost(T).until(() -> redis("HGET", redis, "hero:job:j1", "status").equals("started"));
                long pid = Long.parseLong(redis("HGET", redis, "herd:worker:frozen-0", "pid"));
                assertThat(pid).isEqualTo(worker.pid());

                kill("-STOP", pid);
                await().atMost(T).until(() -> Files.readString(Path.of("/proc/" + pid + "/stat")).split(" ")[2].equals("T"));
                Thread.sleep(1500); // a beat already under way when the worker stopped may still land
                String frozenBeat = redis("HGET", redis, "hero:job:j1", "heartbeat");
                Thread.sleep(3500); // three beat periods
                assertThat(redis("HGET", redis, "hero:job:j1", "heartbeat")).as("job heartbeat while the worker is frozen").isEqualTo(frozenBeat);
                assertThat(redis("HGET", redis, "herd:worker:frozen-0", "beat")).as("worker beat while frozen").isEqualTo(frozenBeat);

                kill("-CONT", pid);
                await().atMost(T).until(() -> !redis("HGET", redis, "hero:job:j1", "heartbeat").equals(frozenBeat));
            } finally {
                worker.descendants().forEach(ProcessHandle::destroyForcibly);
                worker.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static String redis(String command, PrivateRedis redis, String... args) throws IOException, InterruptedException {
        List<String> argv = new java.util.ArrayList<>(List.of("redis-cli", "-p", Integer.toString(redis.port()), "--raw", command));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("redis-cli did not answer in 5 s");
        }
        return new String(p.getInputStream().readAllBytes()).strip();
    }

    private static void kill(String signal, long pid) throws IOException, InterruptedException {
        assertThat(new ProcessBuilder("kill", signal, Long.toString(pid)).start().waitFor()).isZero();
    }
}
