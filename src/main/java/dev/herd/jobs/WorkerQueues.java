package dev.herd.jobs;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.keys.KeyScanArgs;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A worker's lists as Herd sees them from outside: its processing list (jobs it took and has not
 * finished) and its own queue, and the moves that take a job out of one of them. Every move is one
 * Lua script, and happens only if the job is still in the list and its status and heartbeat are
 * still what the caller read: a worker that finished the job meanwhile, or a second recovery
 * racing this one, turns the move into a no-op.
 */
@ApplicationScoped
public class WorkerQueues {
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(5);

    // KEYS: 1 list holding the id, 2 job hash, 3 list to push the id onto ("" none), 4 reply list ("" none)
    // ARGV: 1 id, 2 status read, 3 heartbeat read, 4 reply value, 5 "1" to delete the hash, 6.. field/value pairs
    private static final String TAKE_OUT = """
            local status = redis.call('HGET', KEYS[2], 'status') or ''
            local beat = redis.call('HGET', KEYS[2], 'heartbeat') or ''
            if status ~= ARGV[2] or beat ~= ARGV[3] then return 0 end
            if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 0 then return 0 end
            if #ARGV > 5 then redis.call('HSET', KEYS[2], unpack(ARGV, 6)) end
            if KEYS[3] ~= '' then redis.call('RPUSH', KEYS[3], ARGV[1]) end
            if KEYS[4] ~= '' then
              redis.call('LPUSH', KEYS[4], ARGV[4])
              local keep = tonumber(redis.call('HGET', KEYS[2], 'retention') or '')
              if keep and keep >= 1 then keep = math.min(math.floor(keep), 2592000); redis.call('EXPIRE', KEYS[2], keep); redis.call('EXPIRE', KEYS[4], keep) end
            end
            if ARGV[5] == '1' then redis.call('DEL', KEYS[2]) end
            return 1
            """;

    private final ReactiveRedisDataSource redis;
    private final KeyProfile keys;

    @Inject
    public WorkerQueues(ReactiveRedisDataSource redis, JobsConfig config) {
        this.redis = redis;
        this.keys = config.keyProfile();
    }

    /** Which list of a worker a job is taken out of. */
    public enum Source {
        PROCESSING, OWN_QUEUE
    }

    /** The ids in one of the worker's lists. */
    public Uni<List<String>> ids(String worker, Source source) {
        return redis.list(String.class).lrange(source == Source.PROCESSING ? keys.processingKey(worker) : keys.workQueue(worker), 0, -1)
                .ifNoItem().after(REDIS_TIMEOUT).fail();
    }

    /**
     * Workers that ever wrote a status hash, by one SCAN over the worker-key pattern: how Herd finds,
     * after its own restart, workers removed while it was down. Only names for which {@code keep} holds.
     */
    public Uni<Set<String>> everRun(java.util.function.Predicate<String> keep) {
        String pattern = keys.workerKey("*");
        int at = pattern.indexOf('*');
        String prefix = pattern.substring(0, at);
        String suffix = pattern.substring(at + 1);
        return redis.key(String.class).scan(new KeyScanArgs().match(pattern).count(500)).toMulti()
                .map(k -> k.substring(prefix.length(), k.length() - suffix.length()))
                .filter(keep)
                .collect().asList()
                .ifNoItem().after(Duration.ofSeconds(30)).fail()
                .map(TreeSet::new);
    }

    /** A job back to the end of {@code pool}'s queue its workers take from next. */
    public Uni<Boolean> requeue(String worker, Source source, String id, Map<String, String> read, String pool, int attempts) {
        return takeOut(worker, source, id, read, keys.workQueue(pool), "", "", false,
                "status", Job.DISPATCHED, "worker_id", "", "attempts", Integer.toString(attempts), "updated_at", Instant.now().toString());
    }

    /** A job marked failed with {@code reason}, and its reply pushed. */
    public Uni<Boolean> fail(String worker, Source source, String id, Map<String, String> read, String reason) {
        return takeOut(worker, source, id, read, "", keys.replyKey(id), Job.ERROR, false,
                "status", Job.ERROR, "error", reason, "updated_at", Instant.now().toString());
    }

    /** A job taken off the list; with {@code forget} its hash is deleted too (a ping nobody waits for). */
    public Uni<Boolean> drop(String worker, Source source, String id, Map<String, String> read, boolean forget) {
        return takeOut(worker, source, id, read, "", "", "", forget);
    }

    private Uni<Boolean> takeOut(String worker, Source source, String id, Map<String, String> read, String pushTo,
                                 String replyKey, String replyValue, boolean forget, String... fields) {
        String list = source == Source.PROCESSING ? keys.processingKey(worker) : keys.workQueue(worker);
        List<String> args = new ArrayList<>(List.of("EVAL", TAKE_OUT, "4", list, keys.jobKey(id), pushTo, replyKey,
                id, read.getOrDefault("status", ""), read.getOrDefault("heartbeat", ""), replyValue, forget ? "1" : "0"));
        args.addAll(List.of(fields));
        return redis.execute(args.get(0), args.subList(1, args.size()).toArray(String[]::new))
                .ifNoItem().after(REDIS_TIMEOUT).fail()
                .map(r -> r != null && r.toLong() == 1L);
    }
}
