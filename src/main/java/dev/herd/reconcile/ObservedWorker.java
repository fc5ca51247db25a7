package dev.herd.reconcile;

import dev.herd.zinit.ServiceState;
import java.util.List;

/**
 * A Zinit service Herd owns, as seen in the latest observation.
 *
 * @param name         service name
 * @param pool         pool from its ownership label
 * @param ordinal      ordinal from its ownership label
 * @param templateHash template version it was created with
 * @param state        Zinit state
 * @param pid          process id, 0 when none
 * @param processGone  Zinit shows a process, but no process with that pid exists on this host:
 *                     Zinit 0.3.9 lost its exit (docs/zinit-protocol.md) and will never restart it
 * @param after        the services it was created to start after (its label)
 * @param oomKills     how often the kernel has killed a process of the worker for going over its
 *                     memory limit (its cgroup's count; 0 without one)
 */
public record ObservedWorker(String name, String pool, int ordinal, String templateHash, ServiceState state, int pid,
                             boolean processGone, List<String> after, long oomKills) {
    public ObservedWorker {
        after = List.copyOf(after);
    }

    public ObservedWorker(String name, String pool, int ordinal, String templateHash, ServiceState state, int pid,
                          boolean processGone, List<String> after) {
        this(name, pool, ordinal, templateHash, state, pid, processGone, after, 0);
    }

    public ObservedWorker(String name, String pool, int ordinal, String templateHash, ServiceState state, int pid,
                          boolean processGone) {
        this(name, pool, ordinal, templateHash, state, pid, processGone, List.of());
    }

    public ObservedWorker(String name, String pool, int ordinal, String templateHash, ServiceState state, int pid) {
        this(name, pool, ordinal, templateHash, state, pid, false);
    }

    public boolean ready() {
        return state == ServiceState.RUNNING && !processGone;
    }
}
