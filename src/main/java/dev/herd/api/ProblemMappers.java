package dev.herd.api;

import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error of the API leaves as {@code application/problem+json}. */
public final class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response failure(Problem.Failure failure) {
        return failure.response();
    }

    /** A body that is not the JSON asked for: which field, what was wrong, what is expected. */
    @ServerExceptionMapper
    public Response json(com.fasterxml.jackson.core.JsonProcessingException e) {
        return Problem.response(Response.Status.BAD_REQUEST, "bad-json", "Body not as expected", JsonErrors.describe(e));
    }

    /** Quarkus maps this one itself (a bare JSON of its own); a problem document says more. */
    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 100)
    public Response mismatched(com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
        return json(e);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return Problem.response(Response.Status.NOT_FOUND, "not-found", "Not found",
                "no such resource; the API lives under /api/v1 (see /q/openapi)");
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        Response.Status status = Response.Status.fromStatusCode(e.getResponse().getStatus());
        Throwable cause = e.getCause();
        if (cause instanceof com.fasterxml.jackson.core.JsonProcessingException json) {
            return json(json);
        }
        String detail = e.getMessage() == null || e.getMessage().isBlank() ? "HTTP " + e.getResponse().getStatus() : e.getMessage();
        return Problem.response(status == null ? Response.Status.BAD_REQUEST : status, "http-" + e.getResponse().getStatus(),
                status == null ? "Request failed" : status.getReasonPhrase(), detail);
    }

    /**
     * Redis (or Zinit) did not answer in time. A read may simply be retried; a change may have been
     * made all the same, so the answer says to look before doing it again.
     */
    @ServerExceptionMapper
    public Response timeout(io.smallrye.mutiny.TimeoutException e, jakarta.ws.rs.core.Request request) {
        String why = "Redis or Zinit did not answer in time (overloaded or unreachable: /q/health/ready says which)";
        if (!"GET".equals(request.getMethod())) {
            return Problem.response(Response.Status.SERVICE_UNAVAILABLE, "backend-timeout", "A backend did not answer in time",
                    why + "; the change may have been made all the same: look (e.g. GET /api/v1/jobs/{id}, the events) before retrying");
        }
        return Response.fromResponse(Problem.response(Response.Status.SERVICE_UNAVAILABLE, "backend-timeout",
                "A backend did not answer in time", why + "; retry shortly")).header("Retry-After", "1").build();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("unexpected error in the API", e);
        return Problem.response(Response.Status.INTERNAL_SERVER_ERROR, "internal", "Internal error",
                e.getClass().getSimpleName() + ": " + e.getMessage() + " (a bug in Herd: Herd's log has the details)");
    }
}
