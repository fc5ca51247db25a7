package dev.herd.jobs;

import dev.herd.reconcile.Periodic;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Counts the jobs Herd dispatched as they end: {@code herd.jobs.completed} by pool and outcome
 * (finished or error) and {@code herd.jobs.latency}, the time from submission to the worker's last
 * update, by pool and outcome. Workers report only through the job hash, so Herd keeps the ids it
 * submitted (pings excluded) and reads their status once a second in one pipelined burst of at most
 * {@value #MOST_PER_SWEEP} (more in flight: the next slice each second); a job read done through the
 * API is counted at once. Each job counts once, whoever sees it end first.
 */
@ApplicationScoped
public class JobOutcomes {
    private static final Logger LOG = Logger.getLogger(JobOutcomes.class);
    /** Beyond this many jobs in flight, the oldest are no longer followed (their end goes uncounted). */
    static final int MOST_FOLLOWED = 20_000;
    /** Reads per sweep: with more jobs in flight, each sweep takes the next slice, oldest first. */
    static final int MOST_PER_SWEEP = 2_000;
    private static final Duration FORGET_AFTER = Duration.ofHours(24);
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(5);

    private record Dispatched(String pool, Instant at) {
    }

    private final ReactiveRedisDataSource redis;
    private final KeyProfile keys;
    private final MeterRegistry registry;
    private final jakarta.enterprise.event.Event<RedisDataLost> losses;
    private final Map<String, Dispatched> pending = new LinkedHashMap<>();
    /** Herd's marker in Redis: written once, it is gone only when Redis lost its data. */
    private final String markerKey;
    private final String marker = java.util.UUID.randomUUID().toString();
    private boolean markerWritten;
    private volatile Optional<RedisDataLost> lastLoss = Optional.empty();
    private Periodic thread;

    @Inject
    public JobOutcomes(ReactiveRedisDataSource redis, JobsConfig config, MeterRegistry registry,
                       jakarta.enterprise.event.Event<RedisDataLost> losses,
                       @org.eclipse.microprofile.config.inject.ConfigProperty(name = "herd.controller-id", defaultValue = "herd") String controller) {
        this.redis = redis;
        this.keys = config.keyProfile();
        this.registry = registry;
        this.losses = losses;
        this.markerKey = "herd:marker:" + controller;
    }

    /** The last time Redis lost data Herd relies on, if it did since Herd started. */
    public Optional<RedisDataLost> lastLoss() {
        return lastLoss;
    }

    void onStart(@Observes StartupEvent event) {
        thread = Periodic.start("herd-job-outcomes", Duration.ofSeconds(1), this::sweep);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (thread != null) {
            thread.close();
        }
    }

    /** A job was queued for {@code pool}. */
    void dispatched(String id, String pool, Instant at) {
        registry.counter("herd.jobs.dispatched", "pool", pool).increment();
        synchronized (pending) {
            pending.put(id, new Dispatched(pool, at));
            if (pending.size() > MOST_FOLLOWED) {
                Iterator<String> oldest = pending.keySet().iterator();
                oldest.next();
                oldest.remove();
            }
        }
    }

    /** The job was read; counted if it is done and not counted yet. */
    void seen(Job job) {
        if (!job.done()) {
            return;
        }
        Dispatched d;
        synchronized (pending) {
            d = pending.remove(job.id());
        }
        if (d != null) {
            count(d, job.status(), updatedAt(job.fields().get("updated_at")).orElse(Instant.now()));
        }
    }

    private void report(int lost, boolean markerGone) {
        RedisDataLost loss = new RedisDataLost(Instant.now(), lost, markerGone);
        lastLoss = Optional.of(loss);
        Counter.builder("herd.redis.data.losses").description("times Redis lost data Herd relies on").register(registry).increment();
        LOG.warn(loss.message());
        losses.fire(loss);
    }

    private int lose(String id) {
        Dispatched d;
        synchronized (pending) {
            d = pending.remove(id);
        }
        if (d == null) {
            return 0;
        }
        Counter.builder("herd.jobs.lost").description("jobs Herd dispatched whose records vanished from Redis before they ended")
                .tag("pool", d.pool()).register(registry).increment();
        return 1;
    }

    /**
     * Whether Herd's marker, written at the first sweep, has gone since: then Redis lost its whole
     * key space. The marker is written again either way.
     */
    private boolean checkMarker() {
        try {
            String value = redis.value(String.class).get(markerKey).await().atMost(REDIS_TIMEOUT);
            boolean gone = markerWritten && value == null;
            if (value == null) {
                redis.value(String.class).set(markerKey, marker).await().atMost(REDIS_TIMEOUT);
                markerWritten = true;
            }
            return gone;
        } catch (RuntimeException e) {
            return false; // Redis away: readiness says so; the marker is read again next time
        }
    }

    private void count(Dispatched d, String status, Instant ended) {
        String outcome = Job.FINISHED.equals(status) ? "finished" : "error";
        Counter.builder("herd.jobs.completed").description("jobs Herd dispatched that ended, by pool and outcome")
                .tag("pool", d.pool()).tag("outcome", outcome).register(registry).increment();
        Duration took = Duration.between(d.at(), ended);
        Timer.builder("herd.jobs.latency").description("from submission to the worker's result, by pool and outcome")
                .tag("pool", d.pool()).tag("outcome", outcome).publishPercentileHistogram().register(registry)
                .record(took.isNegative() ? Duration.ZERO : took);
    }

    private static Optional<Instant> updatedAt(String text) {
        try {
            return text == null || text.isBlank() ? Optional.empty() : Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty(); // a worker that writes another format: the time it was seen will do
        }
    }

    /**
     * Reads the status of every followed job in one burst (the client pipelines them) and counts
     * those done; a job whose record is gone is lost, and with Herd's marker gone too, Redis lost
     * its data: either is counted and told (a {@link RedisDataLost} event).
     */
    void sweep() {
        boolean markerGone = checkMarker();
        List<String> ids;
        Instant forgetBefore = Instant.now().minus(FORGET_AFTER);
        synchronized (pending) {
            pending.values().removeIf(d -> d.at().isBefore(forgetBefore));
            ids = pending.keySet().stream().limit(MOST_PER_SWEEP).toList();
        }
        if (ids.isEmpty()) {
            if (markerGone) {
                report(0, true);
            }
            return;
        }
        List<Uni<Job>> reads = ids.stream().map(id -> redis.hash(String.class).hmget(keys.jobKey(id), "status", "updated_at", "id")
                .map(h -> {
                    Map<String, String> fields = new LinkedHashMap<>();
                    h.forEach((k, v) -> fields.put(k, v == null ? "" : v));
                    return Job.of(id, fields);
                })).toList();
        int lost = 0;
        try {
            for (Job job : Uni.join().all(reads).andCollectFailures().await().atMost(REDIS_TIMEOUT)) {
                if (job.fields().get("id").isEmpty() && job.status().isEmpty()) { // no record at all
                    lost += lose(job.id());
                } else {
                    seen(job);
                }
            }
        } catch (RuntimeException e) {
            LOG.debugf("job outcomes not read this round: %s", e.getMessage());
        }
        if (lost > 0 || markerGone) {
            report(lost, markerGone);
        }
        synchronized (pending) {
            for (String id : ids) { // those still running go to the back: the next sweep reads the next slice
                Dispatched d = pending.remove(id);
                if (d != null) {
                    pending.put(id, d);
                }
            }
        }
    }
}
