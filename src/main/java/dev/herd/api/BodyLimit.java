package dev.herd.api;

import dev.herd.config.HerdConfig;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses a body larger than {@code herd.api.max-body} from its Content-Length, before a byte of it
 * is read, with a problem document naming the limit. (A chunked body has no length up front:
 * {@code quarkus.http.limits.max-body-size} stops it, at twice the limit, with a bare 413.)
 */
public class BodyLimit {
    private final long most;

    public BodyLimit(HerdConfig config) {
        this.most = config.api().maxBody().asLongValue();
    }

    @ServerRequestFilter(preMatching = true, priority = jakarta.ws.rs.Priorities.AUTHENTICATION + 1)
    public Optional<Response> check(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return Optional.empty();
        }
        long bytes;
        try {
            bytes = Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            return Optional.of(Problem.response(Response.Status.BAD_REQUEST, "bad-length", "Bad Content-Length",
                    "Content-Length '" + length + "' is not a number of bytes"));
        }
        if (bytes > most) {
            return Optional.of(Problem.response(Response.Status.REQUEST_ENTITY_TOO_LARGE, "body-too-large", "Body too large",
                    "the body has " + bytes + " bytes; herd.api.max-body allows " + most
                            + ". Send a smaller job (large inputs belong in a file or store the script reads), or raise the setting"));
        }
        return Optional.empty();
    }
}
