package dev.herd.reconcile;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Another part of Herd asks the loop to restart a worker (the loop is the only one that changes
 * Zinit).
 *
 * @param pool   the worker's pool
 * @param worker the worker
 * @param reason why, in words for the event log
 */
public record RestartRequest(String pool, String worker, String reason) {

    /**
     * The restarts to do now: one per request for a worker that runs a process and is not being
     * removed. A request for any other worker has nothing to restart, and lapses. Pure.
     */
    static List<Action> actions(Collection<RestartRequest> requests, Observation observation, Terminations terminating) {
        Set<String> running = observation.owned().stream().filter(w -> w.state().hasProcess() && !w.processGone())
                .map(ObservedWorker::name).collect(Collectors.toSet());
        List<Action> out = new ArrayList<>();
        for (RestartRequest r : requests) {
            if (running.contains(r.worker()) && terminating.of(r.worker()).isEmpty()) {
                out.add(new Action.RestartWorker(r.pool(), r.worker(), r.reason()));
            }
        }
        return out;
    }
}
