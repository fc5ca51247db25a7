package dev.herd.jobs;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Submits jobs in the Hero protocol and reads their results. Submitting writes the job hash and
 * pushes the id onto the pool's queue in one MULTI/EXEC, so a job is never queued without its hash
 * nor left "dispatched" with no queue entry. Awaiting polls the hash (with a growing interval), which
 * works with workers that only write the hash and needs no Redis connection held per waiter.
 */
@ApplicationScoped
public class JobService {
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(5);

    private final ReactiveRedisDataSource redis;
    private final KeyProfile keys;
    private final Duration retention;
    private final PoolDirectory pools;
    private final JobOutcomes outcomes;
    private final java.util.concurrent.atomic.AtomicInteger turn = new java.util.concurrent.atomic.AtomicInteger();

    @Inject
    public JobService(ReactiveRedisDataSource redis, JobsConfig config, PoolDirectory pools, JobOutcomes outcomes) {
        this.redis = redis;
        this.keys = config.keyProfile();
        this.retention = config.retention();
        this.pools = pools;
        this.outcomes = outcomes;
    }

    public KeyProfile keys() {
        return keys;
    }

    /**
     * Sends a job to one worker's own queue (which it reads before its pool's): pings, and jobs
     * meant for that worker. The job is not routed and counts against no pool.
     */
    private static final Duration PING_RETENTION = Duration.ofMinutes(2);
    /**
     * The shortest retention: a job must outlive the outcome sweep that sees it end (once a second,
     * slices of 2,000), or its expiry would read as data loss.
     */
    public static final long MIN_RETENTION_SECONDS = 10;

    public Uni<String> submitToWorker(String pool, String worker, String script, Duration timeout) {
        String id = UUID.randomUUID().toString();
        // a ping is withdrawn once judged; should that fail, its record expires soon after anyway
        Map<String, String> fields = fields(id, JobRequest.builder().pool(pool).script(script).timeout(timeout).retries(0)
                .retention(PING_RETENTION).build(), pool);
        fields.put("worker_id", "");
        return enqueue(id, fields, keys.workQueue(worker));
    }

    /**
     * Takes a job sent to a worker's own queue back, and forgets it: off the queue if still there,
     * its hash and reply list deleted. For pings once judged, answered or not; nobody else waits for them.
     */
    public Uni<Void> withdraw(String worker, String jobId) {
        return redis.withTransaction(tx -> tx.list(String.class).lrem(keys.workQueue(worker), 0, jobId)
                        .chain(() -> tx.key(String.class).del(keys.jobKey(jobId), keys.replyKey(jobId))))
                .ifNoItem().after(REDIS_TIMEOUT).fail().replaceWithVoid();
    }

    /** A worker's own status hash (state, current_job, last_job_at, started_at), empty when it never wrote one. */
    public Uni<Map<String, String>> workerState(String worker) {
        return redis.hash(String.class).hgetall(keys.workerKey(worker))
                .ifNoItem().after(REDIS_TIMEOUT).fail()
                .map(h -> h == null ? Map.<String, String>of() : h);
    }

    /** Queues the job; fails with {@link UnroutableJob} when no pool serves it. */
    public Uni<String> submit(JobRequest request) {
        Optional<String> pool = pools.route(request.pool(), request.scriptType());
        if (pool.isEmpty()) {
            String asked = request.pool().map(p -> "pool '" + p + "'").orElse("script type '" + request.scriptType().orElse("") + "'");
            return Uni.createFrom().failure(new UnroutableJob("no pool serves " + asked + "; pools: " + pools.describe()
                    + ". Add a WorkerPool for it to desired-state/, or send the job to one of these."));
        }
        String id = UUID.randomUUID().toString();
        Map<String, String> fields = fields(id, request, pool.get());
        return queueFor(pool.get()).chain(queue -> enqueue(id, fields, queue))
                .invoke(queued -> outcomes.dispatched(queued, pool.get(), Instant.parse(fields.get("created_at"))));
    }

    /**
     * The pool's shared queue, or with {@code spec.queue: worker} the own queue of the ready worker
     * with the least work: jobs waiting in its queue plus the one in its hands (one LLEN each, in
     * parallel); ties go round. Without a ready worker the job waits in the pool queue, which every
     * worker reads after its own.
     */
    private Uni<String> queueFor(String pool) {
        List<String> workers = pools.directWorkers(pool);
        if (workers.isEmpty()) {
            return Uni.createFrom().item(keys.workQueue(pool));
        }
        List<Uni<Long>> loads = workers.stream().map(this::load).toList();
        return Uni.join().all(loads).andFailFast().map(ls -> {
            long least = ls.stream().mapToLong(Long::longValue).min().orElse(0);
            List<Integer> candidates = new java.util.ArrayList<>();
            for (int i = 0; i < ls.size(); i++) {
                if (ls.get(i) == least) {
                    candidates.add(i);
                }
            }
            int pick = candidates.get(Math.floorMod(turn.getAndIncrement(), candidates.size()));
            return keys.workQueue(workers.get(pick));
        });
    }

    private Uni<Long> load(String worker) {
        Uni<Long> queued = redis.list(String.class).llen(keys.workQueue(worker));
        Uni<Long> inHand = redis.list(String.class).llen(keys.processingKey(worker));
        return Uni.combine().all().unis(queued, inHand).with(Long::sum).ifNoItem().after(REDIS_TIMEOUT).fail();
    }

    private Map<String, String> fields(String id, JobRequest request, String pool) {
        String now = Instant.now().toString();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("id", id);
        fields.put("caller_id", request.callerId());
        fields.put("context_id", request.contextId());
        fields.put("worker_id", "");
        fields.put("script", request.script());
        fields.put("script_type", request.scriptType().orElse(pool));
        fields.put("timeout", Long.toString(Math.max(1, request.timeout().toSeconds())));
        fields.put("retries", Integer.toString(request.retries()));
        fields.put("concurrent", "false");
        fields.put("log_path", "");
        fields.put("env_vars", Json.object(request.env()));
        fields.put("created_at", now);
        fields.put("updated_at", now);
        fields.put("status", Job.DISPATCHED);
        fields.put("output", "");
        fields.put("error", "");
        fields.put("pool", pool);
        fields.put("attempts", "0");
        fields.put("retention", Long.toString(Math.max(MIN_RETENTION_SECONDS, request.retention().orElse(retention).toSeconds())));
        return fields;
    }

    private Uni<String> enqueue(String id, Map<String, String> fields, String queue) {
        return redis.withTransaction(tx -> tx.hash(String.class).hset(keys.jobKey(id), fields)
                        .chain(() -> tx.list(String.class).lpush(queue, id)))
                .ifNoItem().after(REDIS_TIMEOUT).fail()
                .map(result -> {
                    if (result.discarded()) {
                        throw new IllegalStateException("Redis discarded the transaction submitting job " + id);
                    }
                    return id;
                });
    }

    /** The job's current hash, or empty when there is no such job. */
    public Uni<Optional<Job>> get(String id) {
        return redis.hash(String.class).hgetall(keys.jobKey(id))
                .ifNoItem().after(REDIS_TIMEOUT).fail()
                .map(h -> h == null || h.isEmpty() ? Optional.<Job>empty() : Optional.of(Job.of(id, h)))
                .invoke(job -> job.ifPresent(outcomes::seen));
    }

    /**
     * Completes when the job is finished or failed (or gone), or {@code timeout} passes, whichever
     * is first; reads only the job's status meanwhile, so a waiter costs the same however big the
     * job's script and output (the API reads the job once at the end, shared by its waiters).
     */
    public Uni<Void> awaitEnd(String id, Duration timeout) {
        return untilDone(id, System.nanoTime() + timeout.toNanos(), Duration.ofMillis(10));
    }

    private Uni<Void> untilDone(String id, long deadline, Duration interval) {
        return redis.hash(String.class).hget(keys.jobKey(id), "status")
                .ifNoItem().after(REDIS_TIMEOUT).fail()
                .chain(status -> {
                    if (status == null || Job.FINISHED.equals(status) || Job.ERROR.equals(status) || System.nanoTime() >= deadline) {
                        return Uni.createFrom().voidItem();
                    }
                    Duration next = interval.multipliedBy(2).compareTo(Duration.ofMillis(250)) > 0 ? Duration.ofMillis(250) : interval.multipliedBy(2);
                    long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                    Duration wait = interval.toMillis() > left ? Duration.ofMillis(left) : interval;
                    return Uni.createFrom().voidItem().onItem().delayIt().by(wait).chain(() -> untilDone(id, deadline, next));
                });
    }
}
