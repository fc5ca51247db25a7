package dev.herd.api;

import dev.herd.desired.Durations;
import dev.herd.scaling.Autoscaler;
import dev.herd.scaling.ScaleStatus;
import dev.herd.scaling.ScalingSettings;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;

/**
 * A pool's scaling (queue reading, last decision, ScalingActive condition) and the temporary manual
 * override, the original design's {@code scale_workers(type, n)}: {@code PUT {"replicas": 5, "ttl": "10m"}}.
 * A fixed {@code replicas} in the file stays the normal way to set a count for good.
 */
@Path("/api/v1/pools/{name}/scale")
@Produces(MediaType.APPLICATION_JSON)
public class ScaleResource {
    @Inject
    Autoscaler scaler;

    @Inject
    dev.herd.config.HerdConfig config;

    @Inject
    ScalingSettings settings;

    /** @param replicas the count to hold; @param ttl how long (e.g. 10m), default 10m */
    public record ScaleRequest(Integer replicas, String ttl) {
    }

    @GET
    public ScaleStatus get(@PathParam("name") String name) {
        return scaler.status(name).orElseThrow(() -> unknown(name));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public ScaleStatus put(@PathParam("name") String name, ScaleRequest request) {
        scaler.status(name).orElseThrow(() -> unknown(name));
        int most = config.workers().maxPerHost();
        if (request == null || request.replicas() == null || request.replicas() < 0) {
            throw bad("replicas must be a whole number from 0, e.g. {\"replicas\": 5, \"ttl\": \"10m\"}");
        }
        if (request.replicas() > most) {
            throw beyondLimits("replicas " + request.replicas() + " is more than this host may run (herd.workers.max-per-host = "
                    + most + "); ask for at most " + most);
        }
        scaler.overrideRefusal(name, request.replicas()).ifPresent(why -> {
            throw beyondLimits(why);
        });
        String ttlText = request.ttl() == null ? "10m" : request.ttl();
        Duration ttl = Durations.parse(ttlText).orElseThrow(() -> bad("ttl '" + ttlText + "' is not a duration; use e.g. 90s, 10m or 1h"));
        if (ttl.isZero() || ttl.compareTo(settings.maxOverrideTtl()) > 0) {
            throw bad("ttl must be above 0s and at most " + Durations.format(settings.maxOverrideTtl()) + ", not " + ttlText);
        }
        scaler.override(name, request.replicas(), ttl);
        return get(name);
    }

    @DELETE
    public ScaleStatus delete(@PathParam("name") String name) {
        scaler.status(name).orElseThrow(() -> unknown(name));
        scaler.cancelOverride(name);
        return get(name);
    }

    private static Problem.Failure unknown(String name) {
        return new Problem.Failure(Response.Status.NOT_FOUND, "unknown-pool", "Unknown pool",
                "no pool '" + name + "' in the desired state");
    }

    private static Problem.Failure beyondLimits(String detail) {
        return new Problem.Failure(Problem.UNPROCESSABLE, "scale-beyond-limits", "Count outside the pool's limits", detail);
    }

    private static Problem.Failure bad(String detail) {
        return new Problem.Failure(Response.Status.BAD_REQUEST, "bad-scale", "Invalid scale request", detail);
    }
}
