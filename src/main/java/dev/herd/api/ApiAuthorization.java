package dev.herd.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every request that reaches the API needs the credential, from loopback too (deny by default:
 * only {@link #OPEN} paths do not; the path is judged decoded and normalised, as the router sees
 * it, so {@code /%61pi/...} or {@code /x/%2e%2e/api/...} is no way around): any local account can
 * reach 127.0.0.1, and the API can run jobs with the workers' rights and read every job's data.
 * Health ({@code /q/health}), metrics and the dashboard's static files stay open; none of them holds
 * job data or a secret.
 *
 * <p>Reads also accept the dashboard's session cookie (a browser's EventSource cannot send a
 * header); changes never do, so a page on another local port cannot make the browser change anything.
 */
public class ApiAuthorization {
    private static final Set<String> READS = Set.of("GET", "HEAD");
    /** The one resource path open to all: the dashboard's redirect to its static page. */
    private static final Set<String> OPEN = Set.of("/dashboard", "/dashboard/");

    private final ApiCredential credential;

    public ApiAuthorization(ApiCredential credential) {
        this.credential = credential;
    }

    @ServerRequestFilter(preMatching = true, priority = jakarta.ws.rs.Priorities.AUTHENTICATION)
    public Optional<Response> check(ContainerRequestContext request) {
        if (OPEN.contains(routed(request.getUriInfo().getRequestUri().getRawPath()))) {
            return Optional.empty();
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header != null) {
            String sent = header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : "";
            return credential.isToken(sent) ? Optional.empty() : Optional.of(refusal("the token sent is not Herd's"));
        }
        Cookie session = request.getCookies().get(ApiCredential.SESSION_COOKIE);
        if (session != null && READS.contains(request.getMethod())) {
            return credential.isSession(session.getValue()) ? Optional.empty()
                    : Optional.of(refusal("the dashboard session is from another token; sign in again"));
        }
        return Optional.of(refusal(session != null ? "changes need the token itself, not the dashboard session"
                : "the request sent no token"));
    }

    /** The path decoded (every %XX, dots included) with dot segments removed; one that cannot be read stays as sent (and is not open). */
    static String routed(String rawPath) {
        try {
            String decoded = java.net.URLDecoder.decode(rawPath.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
            return new java.net.URI(null, null, decoded, null).normalize().getPath();
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            return rawPath;
        }
    }

    private static Response refusal(String why) {
        return Response.fromResponse(Problem.response(Response.Status.UNAUTHORIZED, "token-required", "Token missing or wrong",
                why + ". Send 'Authorization: Bearer <token>'. The token is in Herd's token file (herd.api.token-file,"
                        + " default ~/.config/herd/api-token of the user running Herd, mode 0600) unless herd.api.token sets it;"
                        + " the herd CLI reads that file or HERD_API_TOKEN by itself")
                ).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"herd\"").build();
    }
}
