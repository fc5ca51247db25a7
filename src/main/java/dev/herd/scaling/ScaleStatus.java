package dev.herd.scaling;

import dev.herd.reconcile.Condition;
import java.util.List;
import java.util.Optional;

/**
 * A pool's scaling as the API shows it.
 *
 * @param pool              pool name
 * @param desiredReplicas   the count in force (override, autoscaler or file)
 * @param autoscaled        whether the pool scales by queue depth
 * @param queued            jobs waiting at the last good reading
 * @param inFlight          jobs in workers' hands at the last good reading
 * @param override          a manual count and until when, if one is in force
 * @param lastDecision      the last decision's inputs and rule, in words
 * @param conditions        ScalingActive: false (reason ScalingHeld) while readings fail
 * @param removalPreference workers to remove first if the pool shrinks
 */
public record ScaleStatus(String pool, int desiredReplicas, boolean autoscaled, long queued, long inFlight,
                          Optional<ScaleOverride> override, String lastDecision, List<Condition> conditions,
                          List<String> removalPreference) {
    public ScaleStatus {
        conditions = List.copyOf(conditions);
        removalPreference = List.copyOf(removalPreference);
    }
}
