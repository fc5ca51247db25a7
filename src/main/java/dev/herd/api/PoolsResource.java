package dev.herd.api;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.herd.health.WorkerHealth;
import dev.herd.health.WorkerHealthMonitor;
import dev.herd.reconcile.Event;
import dev.herd.reconcile.PoolStatus;
import dev.herd.reconcile.ReconcileLoop;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Pools, their workers and conditions, and recent events, as the last reconcile pass saw them. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class PoolsResource {
    @Inject
    ReconcileLoop loop;

    @Inject
    WorkerHealthMonitor health;

    @Inject
    dev.herd.introspect.WorkerUsageSampler usage;

    /**
     * One pool in detail: its status, and each worker's ping health by worker name.
     *
     * @param status the pool's status (its fields appear at the top level)
     * @param health each worker's ping health
     */
    public record PoolView(@JsonUnwrapped PoolStatus status, Map<String, WorkerHealth> health) {
    }

    @GET
    @Path("/pools")
    public List<PoolStatus> pools() {
        return loop.snapshot().pools().values().stream().sorted(Comparator.comparing(PoolStatus::name)).map(usage::annotate).toList();
    }

    @GET
    @Path("/pools/{name}")
    public PoolView pool(@PathParam("name") String name) {
        PoolStatus status = loop.snapshot().pools().get(name);
        if (status == null) {
            throw new Problem.Failure(Response.Status.NOT_FOUND, "unknown-pool", "Unknown pool",
                    "no pool '" + name + "' in the desired state; known pools: " + loop.snapshot().pools().keySet().stream().sorted().toList());
        }
        return new PoolView(usage.annotate(status), health.health(name));
    }

    @GET
    @Path("/events")
    public List<Event> events(@QueryParam("pool") String pool, @QueryParam("limit") Integer limit) {
        List<Event> all = loop.events().recent().stream().filter(e -> pool == null || pool.equals(e.pool())).toList();
        int n = limit == null ? 100 : Math.max(1, Math.min(limit, 500));
        return all.subList(Math.max(0, all.size() - n), all.size());
    }
}
