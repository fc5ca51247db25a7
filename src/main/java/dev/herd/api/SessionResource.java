package dev.herd.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

/**
 * The dashboard's sign-in. {@code herd dashboard} prints a link that carries the token in its
 * fragment (never sent to a server, never in a log); the page POSTs it here once as a bearer token
 * and gets a session cookie for its reads. The cookie is HttpOnly and SameSite=Strict, and it lasts
 * 12 hours, or until the token changes. (Browsers send a cookie to every port of a host: another
 * server on 127.0.0.1 that this browser visits would see it; it only reads, and expires.)
 */
@Path("/api/v1/session")
public class SessionResource {
    private final ApiCredential credential;

    public SessionResource(ApiCredential credential) {
        this.credential = credential;
    }

    /** Reached only with the token (the filter sees to it): sets the session cookie. */
    @POST
    public Response signIn() {
        NewCookie cookie = new NewCookie.Builder(ApiCredential.SESSION_COOKIE).value(credential.session()).path("/")
                .httpOnly(true).sameSite(NewCookie.SameSite.STRICT).maxAge(12 * 3600).build();
        return Response.noContent().cookie(cookie).build();
    }

    /** 204 when the caller's credential is good (the filter answers 401 otherwise): how the page knows to ask for one. */
    @GET
    public Response check() {
        return Response.noContent().build();
    }
}
