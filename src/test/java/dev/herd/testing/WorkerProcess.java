package dev.herd.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One worker process started by a test, without Zinit or Herd, its output in a temporary log file.
 * Closing it thaws it if frozen and kills it with whatever it started.
 */
public final class WorkerProcess implements AutoCloseable {
    private final Process process;
    private final String worker;

    /**
     * @param argv   the worker's command line
     * @param worker its worker id (whose status hash says it is up)
     * @param env    more environment
     */
    public WorkerProcess(List<String> argv, String worker, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(Files.createTempFile("worker-" + worker + "-", ".log").toFile());
        pb.environment().putAll(env);
        this.process = pb.start();
        this.worker = worker;
    }

    /** Its pid, once it has written its status hash with that pid (it is then taking jobs). */
    public long pid(PrivateRedis redis) {
        await().atMost(Duration.ofSeconds(20)).until(() -> redis.cli("HGET", "herd:worker:" + worker, "pid"),
                p -> p.equals(Long.toString(process.pid())));
        return process.pid();
    }

    /**
     * This worker is frozen in a take Redis has answered (job {@code id} moved to its processing
     * list, or about to be): Redis restarts, and the thawed worker, whose first calls fail, must still
     * run the job once Redis is back, with {@code output}, and leave its processing list empty.
     */
    public void runsTheJobTakenJustBeforeRedisWentAway(PrivateRedis redis, String id, String output) throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> redis.cli("LRANGE", "herd:processing:" + worker, "0", "-1").equals(id));
        redis.stop();
        Procs.kill("-CONT", process.pid()); // the worker now tries to start the job with Redis gone
        Thread.sleep(2500);
        redis.launch();
        await().atMost(Duration.ofSeconds(20)).until(() -> redis.cli("HGET", "hero:job:" + id, "status").equals("finished"));
        org.assertj.core.api.Assertions.assertThat(redis.cli("HGET", "hero:job:" + id, "output")).isEqualTo(output);
        org.assertj.core.api.Assertions.assertThat(redis.cli("LLEN", "herd:processing:" + worker)).isEqualTo("0");
    }

    /**
     * A job (put straight into Redis, past Herd's API bounds) with an env of 5000 entries ends with an
     * error naming the bound, one whose env is not JSON with an error saying so, and the worker goes
     * on with the next job. All go to {@code pool}'s queue.
     */
    public void refusesJobsItCannotSafelyRunAndGoesOn(PrivateRedis redis, String pool) throws Exception {
        String queue = "hero:work_queue:" + pool;
        pid(redis);
        StringBuilder env = new StringBuilder("{");
        for (int i = 0; i < 5000; i++) {
            env.append(i == 0 ? "" : ",").append("\"K").append(i).append("\":\"v\"");
        }
        redis.cli("HSET", "hero:job:big", "id", "big", "script", "echo never", "status", "dispatched", "env_vars", env + "}");
        redis.cli("LPUSH", queue, "big");
        await().atMost(Duration.ofSeconds(30)).until(() -> redis.cli("HGET", "hero:job:big", "status").equals("error"));
        org.assertj.core.api.Assertions.assertThat(redis.cli("HGET", "hero:job:big", "error")).contains("5000 entries").contains("at most 1000");
        // an env that is not a JSON object at all: refused the same way, with what is wrong
        redis.cli("HSET", "hero:job:garbled", "id", "garbled", "script", "echo never", "status", "dispatched", "env_vars", "{\"A\": [1, 2");
        redis.cli("LPUSH", queue, "garbled");
        await().atMost(Duration.ofSeconds(30)).until(() -> redis.cli("HGET", "hero:job:garbled", "status").equals("error"));
        org.assertj.core.api.Assertions.assertThat(redis.cli("HGET", "hero:job:garbled", "error")).contains("env_vars").contains("JSON object");
        redis.cli("HSET", "hero:job:next", "id", "next", "script", "echo next", "timeout", "30", "status", "dispatched", "pool", pool);
        redis.cli("LPUSH", queue, "next");
        await().atMost(Duration.ofSeconds(30)).until(() -> redis.cli("HGET", "hero:job:next", "output").equals("next"));
    }

    public Process process() {
        return process;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (process.isAlive()) {
            Procs.kill("-CONT", process.pid());
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
}
