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

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return Problem.response(Response.Status.NOT_FOUND, "not-found", "Not found",
                "no such resource; the API lives under /api/v1 (see /q/openapi)");
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        Response.Status status = Response.Status.fromStatusCode(e.getResponse().getStatus());
        return Problem.response(status == null ? Response.Status.BAD_REQUEST : status, "http-" + e.getResponse().getStatus(),
                status == null ? "Request failed" : status.getReasonPhrase(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("unexpected error in the API", e);
        return Problem.response(Response.Status.INTERNAL_SERVER_ERROR, "internal", "Internal error",
                e.getClass().getSimpleName() + ": " + e.getMessage());
    }
}
