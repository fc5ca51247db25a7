package dev.herd.reconcile;

import io.smallrye.mutiny.Uni;

/**
 * Runs when a worker being removed has stopped and before its Zinit service is deleted: the moment
 * to hand back what was queued for it alone. It must not block (it runs in the executor's Uni
 * chain); a failure is logged and the delete goes ahead.
 */
@FunctionalInterface
public interface RemovalHook {
    RemovalHook NONE = (pool, worker) -> Uni.createFrom().voidItem();

    Uni<Void> stopped(String pool, String worker);
}
