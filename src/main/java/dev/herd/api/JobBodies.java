package dev.herd.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herd.jobs.Job;
import dev.herd.jobs.JobService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A job's JSON as the API answers it, shared: the reads of one job that overlap make one Redis
 * read and one serialization, and an ended job's JSON (which no longer changes) is kept a short
 * while for the requests that waited on it. So however many requests wait on a job, and however
 * big it is, Herd holds one copy of it as they are answered, not one each.
 */
@Singleton
class JobBodies {
    /**
     * How long an ended job's JSON is kept for its waiters: each sees the end within 250 ms of it
     * (they poll its status), and the job stays in Redis far longer (its retention is at least 10 s).
     */
    static final Duration ENDED_KEPT = Duration.ofSeconds(2);
    /** The most kept at once, all jobs together; the oldest go first. */
    static final long KEPT_BYTES = 32L << 20;

    /** One job's JSON; {@code ended} when finished or failed. */
    record Body(byte[] json, boolean ended) {
    }

    private record Kept(Body body, long until) {
    }

    private final JobService jobs;
    private final ObjectMapper json;
    private final Map<String, Uni<Optional<Body>>> reading = new ConcurrentHashMap<>();
    private final LinkedHashMap<String, Kept> kept = new LinkedHashMap<>();
    private long keptBytes;

    @Inject
    JobBodies(JobService jobs, ObjectMapper json) {
        this.jobs = jobs;
        this.json = json;
    }

    /** The job's JSON as of this request or shortly before (a read already under way is shared); empty when Redis has no such job. */
    Uni<Optional<Body>> read(String id) {
        return reading.computeIfAbsent(id, key -> jobs.get(key)
                .map(job -> job.map(this::body))
                .invoke(body -> body.filter(Body::ended).ifPresent(b -> keep(key, b)))
                .onTermination().invoke(() -> reading.remove(key))
                .memoize().indefinitely());
    }

    /**
     * For a request that waited on the job and saw it end: its JSON, as kept from the first such
     * read when there was one in the last {@link #ENDED_KEPT}.
     */
    Uni<Optional<Body>> readEnded(String id) {
        Optional<Body> ended = keptFor(id);
        if (ended.isPresent()) {
            return Uni.createFrom().item(ended);
        }
        // a shared read may have started before the end was seen: then read again, once, unshared
        return read(id).chain(body -> body.isPresent() && !body.get().ended()
                ? jobs.get(id).map(job -> job.map(this::body)) : Uni.createFrom().item(body));
    }

    private Body body(Job job) {
        try {
            return new Body(json.writeValueAsBytes(job), job.done());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write job " + job.id() + " as JSON: " + e.getMessage(), e);
        }
    }

    private synchronized Optional<Body> keptFor(String id) {
        Kept k = kept.get(id);
        if (k == null) {
            return Optional.empty();
        }
        if (System.nanoTime() - k.until() > 0) {
            forget(id);
            return Optional.empty();
        }
        return Optional.of(k.body());
    }

    private synchronized void keep(String id, Body body) {
        forget(id);
        long now = System.nanoTime();
        for (Iterator<Map.Entry<String, Kept>> it = kept.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Kept> e = it.next();
            if (keptBytes + body.json().length <= KEPT_BYTES && now - e.getValue().until() <= 0) {
                break;
            }
            keptBytes -= e.getValue().body().json().length; // the oldest first, and any past its time
            it.remove();
        }
        if (body.json().length <= KEPT_BYTES) {
            kept.put(id, new Kept(body, now + ENDED_KEPT.toNanos()));
            keptBytes += body.json().length;
        }
    }

    private void forget(String id) {
        Kept k = kept.remove(id);
        if (k != null) {
            keptBytes -= k.body().json().length;
        }
    }
}
