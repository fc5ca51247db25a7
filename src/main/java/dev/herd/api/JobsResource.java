package dev.herd.api;

import dev.herd.jobs.Job;
import dev.herd.jobs.JobRequest;
import dev.herd.jobs.JobService;
import dev.herd.jobs.UnroutableJob;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Jobs over HTTP: submit one (and, with {@code ?wait=30s}, await its result: the original design's
 * run_job_and_await_result), and read one.
 */
@Path("/api/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
@jakarta.inject.Singleton
public class JobsResource {
    private static final Duration MAX_WAIT = Duration.ofMinutes(10);
    private static final Duration MAX_TIMEOUT = Duration.ofHours(24);
    private static final int MAX_RETRIES = 100;
    private static final Duration MAX_RETENTION = Duration.ofDays(30);
    private static final int MAX_NAME = 253;
    private static final java.util.regex.Pattern ENV_NAME = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    @Inject
    JobService jobs;

    @Inject
    dev.herd.config.HerdConfig config;

    @Inject
    JobBodies bodies;

    /** Requests waiting on a job now; each holds little (the status is polled, the job read once at the end, and shared). */
    private final java.util.concurrent.atomic.AtomicInteger waiting = new java.util.concurrent.atomic.AtomicInteger();

    /** What a client sends; only {@code script} and one of {@code pool}/{@code scriptType} are required. */
    public record Submission(String pool, String scriptType, String script, String timeout, Integer retries,
                             Map<String, String> env, String callerId, String contextId, String retention) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> submit(Submission s, @QueryParam("wait") String wait) {
        JobRequest request = toRequest(s);
        Optional<Duration> waitFor = wait == null ? Optional.empty() : Optional.of(waitDuration(wait));
        if (waitFor.isPresent() && !reserveWaiter()) {
            return Uni.createFrom().item(tooManyWaiters()); // refused before it is queued: a retry submits it once
        }
        return jobs.submit(request)
                .chain(id -> waitFor.isEmpty()
                        ? Uni.createFrom().item(Response.status(Response.Status.CREATED)
                        .entity(Map.of("id", id, "status", Job.DISPATCHED)).header("Location", "/api/v1/jobs/" + id).build())
                        : jobs.awaitEnd(id, waitFor.get()).chain(() -> bodies.readEnded(id)).map(b -> answer(id, b)))
                .onTermination().invoke(() -> {
                    if (waitFor.isPresent()) {
                        waiting.decrementAndGet();
                    }
                })
                .onFailure(UnroutableJob.class).transform(e -> new Problem.Failure(Problem.UNPROCESSABLE,
                        "unroutable-job", "No pool serves this job", e.getMessage()));
    }

    @GET
    @Path("/{id}")
    public Uni<Response> get(@PathParam("id") String id, @QueryParam("wait") String wait) {
        if (id.length() > 64 || !id.matches("[A-Za-z0-9-]+")) {
            throw new Problem.Failure(Response.Status.NOT_FOUND, "unknown-job", "Unknown job",
                    "no job with that id: job ids are what POST /api/v1/jobs answered (letters, digits and dashes)");
        }
        return wait == null ? bodies.read(id).map(b -> answer(id, b)) : waitingOn(id, waitDuration(wait));
    }

    /** Waits for the job, one of at most herd.api.max-waiters at once. */
    private Uni<Response> waitingOn(String id, Duration wait) {
        if (!reserveWaiter()) {
            return Uni.createFrom().item(tooManyWaiters());
        }
        return jobs.awaitEnd(id, wait).chain(() -> bodies.readEnded(id)).map(b -> answer(id, b)).onTermination().invoke(waiting::decrementAndGet);
    }

    /** A place among the herd.api.max-waiters; the caller gives it back when its wait ends, however it ends. */
    private boolean reserveWaiter() {
        if (waiting.incrementAndGet() > config.api().maxWaiters()) {
            waiting.decrementAndGet();
            return false;
        }
        return true;
    }

    private Response tooManyWaiters() {
        return Problem.response(Response.Status.TOO_MANY_REQUESTS, "too-many-waiters", "Too many waiting requests",
                config.api().maxWaiters() + " requests already wait on jobs (herd.api.max-waiters); submit without ?wait"
                        + " and read the job later, or wait again shortly");
    }

    /** The job's JSON (shared with every request answered with it at the same time), or 404. */
    private static Response answer(String id, Optional<JobBodies.Body> body) {
        if (body.isEmpty()) {
            throw new Problem.Failure(Response.Status.NOT_FOUND, "unknown-job", "Unknown job",
                    "no job " + id + " in Redis (wrong id, wrong key profile, or it expired)");
        }
        // 200 when done; 202 when the wait ended first: the job goes on and can be read again
        return Response.status(body.get().ended() ? Response.Status.OK : Response.Status.ACCEPTED)
                .entity(body.get().json()).type(MediaType.APPLICATION_JSON_TYPE.withCharset("UTF-8")).build();
    }

    private JobRequest toRequest(Submission s) {
        if (s == null) {
            throw bad("the body must be a JSON object like {\"scriptType\": \"osis\", \"script\": \"echo hi\"}");
        }
        JobRequest.Builder b = JobRequest.builder();
        if (s.pool() != null) {
            b.pool(name("pool", s.pool()));
        }
        if (s.scriptType() != null) {
            b.scriptType(name("scriptType", s.scriptType()));
        }
        String script = s.script() == null ? "" : s.script();
        long scriptBytes = script.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (scriptBytes > config.api().maxScript().asLongValue()) {
            throw tooLarge("script-too-large", "the script has " + scriptBytes + " bytes; herd.api.max-script allows "
                    + config.api().maxScript().asLongValue() + ". Put large inputs in a file or store the script reads");
        }
        b.script(script);
        if (s.timeout() != null) {
            Duration timeout = duration("timeout", s.timeout());
            if (timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
                throw unprocessable("timeout must be above 0s and at most 24h, not " + s.timeout());
            }
            b.timeout(timeout);
        }
        if (s.retries() != null) {
            if (s.retries() < 0 || s.retries() > MAX_RETRIES) {
                throw unprocessable("retries must be from 0 to " + MAX_RETRIES + ", not " + s.retries());
            }
            b.retries(s.retries());
        }
        if (s.env() != null) {
            b.env(env(s.env()));
        }
        if (s.retention() != null) {
            Duration keep = duration("retention", s.retention());
            if (keep.toSeconds() < dev.herd.jobs.JobService.MIN_RETENTION_SECONDS || keep.compareTo(MAX_RETENTION) > 0) {
                throw unprocessable("retention must be from 10s to 720h (30 days), not " + s.retention());
            }
            b.retention(keep);
        }
        if (s.callerId() != null) {
            b.callerId(name("callerId", s.callerId()));
        }
        if (s.contextId() != null) {
            b.contextId(name("contextId", s.contextId()));
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
    }

    /** A job's env: bounded like the Hero worker bounds it, names a shell can use, no value missing. */
    private Map<String, String> env(Map<String, String> env) {
        int most = config.api().maxEnvEntries();
        if (env.size() > most) {
            throw tooLarge("env-too-large", "env has " + env.size() + " entries; herd.api.max-env-entries allows " + most);
        }
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (!ENV_NAME.matcher(e.getKey()).matches() || e.getKey().length() > MAX_NAME) {
                throw unprocessable("env name '" + e.getKey() + "' is not a variable name (letters, digits and _, not starting with a digit)");
            }
            if (e.getKey().startsWith("HERD_")) {
                throw unprocessable("env name '" + e.getKey() + "': HERD_* names are the worker's own; rename it");
            }
            if (e.getValue() == null) {
                throw unprocessable("env." + e.getKey() + " is null; give a string (\"\" for empty)");
            }
        }
        // measured as the worker reads it: the JSON text in the job's env_vars
        long bytes = dev.herd.jobs.Json.object(env).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes > config.api().maxEnvBytes().asLongValue()) {
            throw tooLarge("env-too-large", "env is " + bytes + " bytes as JSON; herd.api.max-env-bytes allows "
                    + config.api().maxEnvBytes().asLongValue() + " (workers take at most 256K)");
        }
        return env;
    }

    private static String name(String field, String value) {
        if (value.isBlank() || value.length() > MAX_NAME || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw unprocessable(field + " must be 1 to " + MAX_NAME + " printable characters");
        }
        return value;
    }

    private static Duration waitDuration(String text) {
        Duration d = duration("wait", text);
        if (d.compareTo(MAX_WAIT) > 0) {
            throw bad("wait is at most 10m, not " + text);
        }
        return d;
    }

    /** Durations as everywhere in Herd (the desired state's syntax): 500ms, 30s, 10m, 1h, 1m30s. */
    private static Duration duration(String field, String text) {
        return dev.herd.desired.Durations.parse(text.strip()).orElseThrow(() ->
                bad(field + " must be a duration like 500ms, 30s, 10m, 1h or 1m30s, not '" + text + "'"));
    }

    private static Problem.Failure bad(String detail) {
        return new Problem.Failure(Response.Status.BAD_REQUEST, "bad-job", "Invalid job", detail);
    }

    private static Problem.Failure unprocessable(String detail) {
        return new Problem.Failure(Problem.UNPROCESSABLE, "bad-job", "Invalid job", detail);
    }

    private static Problem.Failure tooLarge(String type, String detail) {
        return new Problem.Failure(Response.Status.REQUEST_ENTITY_TOO_LARGE, type, "Job too large", detail);
    }
}
