package dev.herd.api;

import dev.herd.reconcile.Action;
import dev.herd.reconcile.Plan;
import dev.herd.reconcile.ReconcileLoop;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** The plan a reconcile pass would apply now (a dry run: nothing is changed). */
@Path("/api/v1/plan")
@Produces(MediaType.APPLICATION_JSON)
public class PlanResource {
    @Inject
    ReconcileLoop loop;

    /** One planned action, flattened for JSON. */
    public record PlannedAction(int stage, String action, String pool, String worker, String reason) {
    }

    public record PlanView(List<PlannedAction> actions, List<String> conflicts) {
    }

    @GET
    public PlanView plan() {
        Plan plan;
        try {
            plan = loop.preview();
        } catch (RuntimeException e) {
            throw new Problem.Failure(Response.Status.SERVICE_UNAVAILABLE, "zinit-unavailable", "Zinit unavailable",
                    "cannot observe Zinit to plan: " + e.getMessage());
        }
        List<PlannedAction> actions = new java.util.ArrayList<>();
        for (int i = 0; i < plan.stages().size(); i++) {
            for (Action a : plan.stages().get(i)) {
                actions.add(new PlannedAction(i, a.kind().text(), a.pool(), a.worker(), a.reason()));
            }
        }
        return new PlanView(actions, plan.conflicts());
    }
}
