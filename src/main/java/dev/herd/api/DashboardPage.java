package dev.herd.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** The dashboard page is Herd's front page ({@code /}, static); {@code /dashboard} leads there too. */
@Path("/dashboard")
public class DashboardPage {
    @GET
    public Response dashboard() {
        return Response.seeOther(URI.create("/")).build();
    }
}
