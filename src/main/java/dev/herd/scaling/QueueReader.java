package dev.herd.scaling;

import dev.herd.jobs.KeyProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads every due pool in one pipelined round trip: per pool LLEN of its queue; per worker LLEN of
 * its own queue and of its processing list, and HMGET of its status hash (state, last_job_at). A
 * pool therefore costs 1 + 3 × workers commands per read. Any failure (timeout included) makes
 * every pool of the round a {@link Reading.Failed}: the shell never sees a guessed zero.
 */
public final class QueueReader {
    private final Redis redis;
    private final KeyProfile keys;
    private final Duration timeout;

    public QueueReader(Redis redis, KeyProfile keys, Duration timeout) {
        this.redis = redis;
        this.keys = keys;
        this.timeout = timeout;
    }

    /** @param workersByPool the pools to read, each with the ids of its current workers */
    public Uni<Map<String, PoolLoad>> read(Map<String, List<String>> workersByPool) {
        if (workersByPool.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        List<Request> batch = new ArrayList<>();
        workersByPool.forEach((pool, workers) -> {
            batch.add(Request.cmd(Command.LLEN).arg(keys.workQueue(pool)));
            for (String w : workers) {
                batch.add(Request.cmd(Command.LLEN).arg(keys.workQueue(w)));
                batch.add(Request.cmd(Command.LLEN).arg(keys.processingKey(w)));
                batch.add(Request.cmd(Command.HMGET).arg(keys.workerKey(w)).arg("state").arg("last_job_at"));
            }
        });
        return redis.batch(batch)
                .ifNoItem().after(timeout).failWith(() -> new java.util.concurrent.TimeoutException(
                        "no answer from Redis within " + timeout.toMillis() + " ms"))
                .map(responses -> parse(workersByPool, responses))
                .onFailure().recoverWithItem(f -> failedAll(workersByPool, "Redis unreachable: " + describe(f)));
    }

    private static Map<String, PoolLoad> parse(Map<String, List<String>> workersByPool, List<Response> responses) {
        Map<String, PoolLoad> out = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, List<String>> e : workersByPool.entrySet()) {
            long queued = count(responses.get(i++));
            long inFlight = 0;
            List<WorkerLoad> loads = new ArrayList<>();
            for (String w : e.getValue()) {
                long own = count(responses.get(i++));
                long processing = count(responses.get(i++));
                Response hash = responses.get(i++);
                String state = field(hash, 0);
                long lastJob = parseLong(field(hash, 1));
                queued += own;
                inFlight += processing;
                loads.add(new WorkerLoad(w, processing, own, processing > 0 || "busy".equals(state), lastJob));
            }
            out.put(e.getKey(), new PoolLoad(new Reading.Measured(queued, inFlight), loads));
        }
        return out;
    }

    private static Map<String, PoolLoad> failedAll(Map<String, List<String>> workersByPool, String reason) {
        Map<String, PoolLoad> out = new LinkedHashMap<>();
        workersByPool.keySet().forEach(p -> out.put(p, PoolLoad.failed(reason)));
        return out;
    }

    private static long count(Response r) {
        return r == null ? 0 : r.toLong();
    }

    private static String field(Response hash, int index) {
        if (hash == null || hash.size() <= index) {
            return "";
        }
        Response v = hash.get(index);
        return v == null ? "" : v.toString();
    }

    private static long parseLong(String s) {
        try {
            return s.isEmpty() ? 0 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static String describe(Throwable f) {
        return f.getMessage() == null ? f.getClass().getSimpleName() : f.getMessage();
    }
}
