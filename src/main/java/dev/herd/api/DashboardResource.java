package dev.herd.api;

import dev.herd.dashboard.FleetWatch;
import dev.herd.dashboard.Frame;
import dev.herd.dashboard.Series;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * What the dashboard page reads: the live stream of the fleet (server-sent events, one JSON frame
 * each) and a pool's last hour of queue depth and replica counts.
 */
@Path("/api/v1")
public class DashboardResource {
    @Inject
    FleetWatch watch;

    /** A frame with every pool's history at once, then one whenever the fleet changes or a sample is taken. */
    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<Frame> stream() {
        if (watch.full()) {
            throw new Problem.Failure(Response.Status.SERVICE_UNAVAILABLE, "too-many-viewers", "Too many viewers",
                    watch.viewers() + " viewers are connected, the most herd.dashboard.max-viewers allows; close one or raise it");
        }
        return watch.watch();
    }

    @GET
    @Path("/pools/{name}/history")
    @Produces(MediaType.APPLICATION_JSON)
    public Series history(@PathParam("name") String name) {
        return watch.history(name).orElseThrow(() -> new Problem.Failure(Response.Status.NOT_FOUND, "unknown-pool",
                "Unknown pool", "no history for pool '" + name + "': it is not in the desired state, or Herd has not sampled it yet"));
    }
}
