package dev.herd.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Requests that change anything need {@code Authorization: Bearer <herd.api.token>} once Herd
 * listens beyond loopback. On 127.0.0.1 (the default) only local users can reach it, as with the
 * Zinit socket itself, so no token is asked for.
 */
public class ChangeAuthorization {
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    private final boolean loopbackOnly;
    private final Optional<String> token;

    public ChangeAuthorization(@ConfigProperty(name = "quarkus.http.host") String host, dev.herd.config.HerdConfig config) {
        this.loopbackOnly = isLoopback(host);
        this.token = config.api().token().filter(t -> !t.isBlank());
    }

    @ServerRequestFilter
    public Optional<Response> check(ContainerRequestContext request) {
        if (loopbackOnly || READS.contains(request.getMethod())) {
            return Optional.empty();
        }
        if (token.isEmpty()) {
            return Optional.of(Problem.response(Response.Status.FORBIDDEN, "token-required", "Changes need a token",
                    "Herd listens beyond loopback and herd.api.token (HERD_API_TOKEN) is not set, so it refuses changes;"
                            + " set a token and send it as 'Authorization: Bearer <token>'"));
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String sent = header != null && header.startsWith("Bearer ") ? header.substring(7).strip() : "";
        if (!MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8), token.get().getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(Problem.response(Response.Status.UNAUTHORIZED, "bad-token", "Token missing or wrong",
                    "send 'Authorization: Bearer <herd.api.token>' with requests that change anything"));
        }
        return Optional.empty();
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
