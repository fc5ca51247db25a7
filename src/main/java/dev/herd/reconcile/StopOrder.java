package dev.herd.reconcile;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Removal ordered on completion, not on sending, as systemd stops units in the reverse order of
 * {@code After=} and waits for each stop job, and as Kubernetes' foreground deletion waits for
 * dependents: a worker is sent its stop only once every worker that starts after it and is being
 * removed too has exited (its process group gone, or killed at its deadline). A worker that needs
 * its database while it finishes the job in hand keeps it until then.
 *
 * <p>Dependencies are between pools: a pool starts after another when its {@code after}, as desired
 * or as labelled on any of its workers ({@link Ownership#AFTER}), names that pool or one of its
 * workers; the relation is transitive. A pool that has left the desired state keeps its order
 * through its workers' labels. Pools that start after each other (a cycle, which validation
 * reports) are not ordered against each other, so a cycle cannot hold a removal forever.
 */
final class StopOrder {
    /** Pool to the pools it starts after, directly or through others. */
    private final Map<String, Set<String>> upstream;

    private StopOrder(Map<String, Set<String>> upstream) {
        this.upstream = upstream;
    }

    static StopOrder of(List<DesiredPool> desired, List<ObservedWorker> workers, Terminations terminating) {
        Map<String, Set<String>> names = new HashMap<>();
        desired.forEach(p -> names.computeIfAbsent(p.name(), k -> new HashSet<>()).addAll(p.after()));
        workers.forEach(w -> names.computeIfAbsent(w.pool(), k -> new HashSet<>()).addAll(w.after()));
        terminating.all().forEach(t -> names.computeIfAbsent(t.pool(), k -> new HashSet<>()));
        Map<String, Set<String>> direct = new HashMap<>();
        names.forEach((pool, after) -> direct.put(pool, new HashSet<>()));
        names.forEach((pool, after) -> {
            for (String other : names.keySet()) {
                if (!other.equals(pool) && after.stream().anyMatch(a -> a.equals(other) || WorkerNames.ordinalIn(other, a).isPresent())) {
                    direct.get(pool).add(other);
                }
            }
        });
        Map<String, Set<String>> closure = new HashMap<>();
        direct.keySet().forEach(pool -> closure.put(pool, reachable(pool, direct)));
        return new StopOrder(closure);
    }

    private static Set<String> reachable(String from, Map<String, Set<String>> direct) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(direct.getOrDefault(from, Set.of()));
        while (!todo.isEmpty()) {
            String p = todo.pop();
            if (seen.add(p)) {
                todo.addAll(direct.getOrDefault(p, Set.of()));
            }
        }
        seen.remove(from);
        return seen;
    }

    /** Whether workers of {@code dependent} must be gone before workers of {@code dependency} are stopped. */
    boolean stopsBefore(String dependent, String dependency) {
        return upstream.getOrDefault(dependent, Set.of()).contains(dependency)
                && !upstream.getOrDefault(dependency, Set.of()).contains(dependent);
    }

    /**
     * Whether the removal of a worker of {@code pool} must wait: a pool that stops before it has a
     * worker still finishing ({@code terminating}, not exited) or being removed by the same plan.
     */
    boolean mustWait(String pool, Set<String> poolsStopping) {
        return poolsStopping.stream().anyMatch(other -> stopsBefore(other, pool));
    }

    /**
     * The pools with a worker still finishing, or whose removal {@code removals} starts. A worker
     * whose process is already gone (being replaced) has nothing to finish and holds nobody up.
     */
    static Set<String> poolsStopping(List<Action> removals, Terminations terminating) {
        Set<String> pools = new HashSet<>();
        terminating.all().stream().filter(t -> !t.exited() && !t.replace()).forEach(t -> pools.add(t.pool()));
        removals.stream().filter(a -> a instanceof Action.RemoveWorker r && !r.replace()).forEach(a -> pools.add(a.pool()));
        return pools;
    }
}
