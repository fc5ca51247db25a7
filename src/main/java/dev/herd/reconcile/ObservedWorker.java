package dev.herd.reconcile;

import dev.herd.zinit.ServiceState;

/**
 * A Zinit service Herd owns, as seen in the latest observation.
 *
 * @param name         service name
 * @param pool         pool from its ownership label
 * @param ordinal      ordinal from its ownership label
 * @param templateHash template version it was created with
 * @param state        Zinit state
 * @param pid          process id, 0 when none
 */
public record ObservedWorker(String name, String pool, int ordinal, String templateHash, ServiceState state, int pid) {
    public boolean ready() {
        return state == ServiceState.RUNNING;
    }
}
