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
public class JobsResource {
    private static final Duration MAX_WAIT = Duration.ofMinutes(10);

    @Inject
    JobService jobs;

    /** What a client sends; only {@code script} and one of {@code pool}/{@code scriptType} are required. */
    public record Submission(String pool, String scriptType, String script, String timeout, Integer retries,
                             Map<String, String> env, String callerId, String contextId) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> submit(Submission s, @QueryParam("wait") String wait) {
        JobRequest request = toRequest(s);
        Optional<Duration> waitFor = wait == null ? Optional.empty() : Optional.of(duration("wait", wait));
        return jobs.submit(request)
                .chain(id -> waitFor.isEmpty()
                        ? Uni.createFrom().item(Response.status(Response.Status.CREATED)
                        .entity(Map.of("id", id, "status", Job.DISPATCHED)).header("Location", "/api/v1/jobs/" + id).build())
                        : jobs.await(id, waitFor.get()).map(job -> awaited(id, job)))
                .onFailure(UnroutableJob.class).transform(e -> new Problem.Failure(Problem.UNPROCESSABLE,
                        "unroutable-job", "No pool serves this job", e.getMessage()));
    }

    @GET
    @Path("/{id}")
    public Uni<Response> get(@PathParam("id") String id, @QueryParam("wait") String wait) {
        Uni<Optional<Job>> job = wait == null ? jobs.get(id) : jobs.await(id, duration("wait", wait));
        return job.map(j -> awaited(id, j));
    }

    private static Response awaited(String id, Optional<Job> job) {
        if (job.isEmpty()) {
            throw new Problem.Failure(Response.Status.NOT_FOUND, "unknown-job", "Unknown job",
                    "no job " + id + " in Redis (wrong id, wrong key profile, or it expired)");
        }
        // 200 when done; 202 when the wait ended first: the job goes on and can be read again
        return Response.status(job.get().done() ? Response.Status.OK : Response.Status.ACCEPTED).entity(job.get()).build();
    }

    private static JobRequest toRequest(Submission s) {
        if (s == null) {
            throw bad("the body must be a JSON object like {\"scriptType\": \"osis\", \"script\": \"echo hi\"}");
        }
        JobRequest.Builder b = JobRequest.builder();
        if (s.pool() != null) {
            b.pool(s.pool());
        }
        if (s.scriptType() != null) {
            b.scriptType(s.scriptType());
        }
        b.script(s.script() == null ? "" : s.script());
        if (s.timeout() != null) {
            b.timeout(duration("timeout", s.timeout()));
        }
        if (s.retries() != null) {
            b.retries(s.retries());
        }
        if (s.env() != null) {
            b.env(s.env());
        }
        if (s.callerId() != null) {
            b.callerId(s.callerId());
        }
        if (s.contextId() != null) {
            b.contextId(s.contextId());
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
    }

    /** Durations as the desired state writes them: 500ms, 30s, 10m, 1h, or plain seconds. */
    static Duration duration(String field, String text) {
        try {
            String t = text.strip();
            Duration d;
            if (t.matches("\\d+")) {
                d = Duration.ofSeconds(Long.parseLong(t));
            } else if (t.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            } else {
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                d = switch (t.charAt(t.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    default -> throw new NumberFormatException();
                };
            }
            if (d.compareTo(MAX_WAIT) > 0 && field.equals("wait")) {
                throw bad("wait is at most 10m, not " + text);
            }
            return d;
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw bad(field + " must be a duration like 500ms, 30s, 10m or 1h, not '" + text + "'");
        }
    }

    private static Problem.Failure bad(String detail) {
        return new Problem.Failure(Response.Status.BAD_REQUEST, "bad-job", "Invalid job", detail);
    }
}
