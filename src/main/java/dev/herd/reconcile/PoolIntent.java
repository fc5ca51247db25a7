package dev.herd.reconcile;

import dev.herd.zinit.ServiceSpec;
import java.util.List;
import java.util.function.IntFunction;

/**
 * One desired pool as the reconcile loop receives it from the desired state: what the planner
 * needs, how to render a worker's Zinit service, and what the desired state says about its spec.
 *
 * @param pool         the planner's view
 * @param render       the worker's service spec for an ordinal, with Herd's ownership labels
 * @param generation   increases with every accepted change of the pool's spec
 * @param configErrors errors in the pool's current file; non-empty means the last good spec is used
 */
public record PoolIntent(DesiredPool pool, IntFunction<ServiceSpec> render, long generation, List<String> configErrors) {
    public PoolIntent {
        configErrors = List.copyOf(configErrors);
    }

    public String name() {
        return pool.name();
    }
}
