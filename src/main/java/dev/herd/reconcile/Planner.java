package dev.herd.reconcile;

import dev.herd.zinit.ServiceState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;

/**
 * Decides what to do: a pure function of (desired pools, observation, memory, now). No clock, no
 * I/O. Rules, per pool:
 * <ul>
 *   <li>workers being removed ({@link Terminations}) are left to finish; once their process is
 *       gone they are deleted from the end of Zinit's list, so that no delete moves another
 *       service to another slot ({@link SlotSafeDeletes}). One further up is parked: its stopped
 *       service stays until the services after it are gone, and a pool that scales up starts it
 *       again ({@link Action.ReuseWorker}) if it runs the current template. Their ordinals stay taken until then;</li>
 *   <li>scale: create missing workers at the lowest free ordinals; remove surplus ones, not-ready
 *       first, then in the pool's {@code removeFirst} order (the scaler's: idle before busy), then
 *       the highest ordinal. Workers that stay are never touched by a count change;</li>
 *   <li>rollout (some workers have an older template): like a Deployment, create new workers while
 *       the pool stays within {@code replicas + maxSurge}, and remove outdated ones while at least
 *       {@code replicas - maxUnavailable} stay ready (not-ready outdated ones go first, for free);</li>
 *   <li>a worker whose pool left the desired state is removed;</li>
 *   <li>a worker down longer than the grace (or stopped by hand) is started; one that crash-loops
 *       is held stopped for an exponential backoff, then started again;</li>
 *   <li>a name taken by a service Herd does not own is skipped and reported as a conflict;</li>
 *   <li>a pool whose launch is refused (program missing or not matching its digest, unknown user,
 *       root forbidden) gets no creation, no start and no rollout: its running workers are left as they are.</li>
 * </ul>
 * Stages keep dependency order between pools ({@code after}): removals of dependents first,
 * creations of dependencies first. A removal also waits on completion ({@link StopOrder}): a
 * worker is not stopped while a worker that starts after it is still finishing or being removed.
 */
public final class Planner {
    private Planner() {
    }

    public static Plan plan(List<DesiredPool> desired, Observation observed, Memory memory, Instant now, CrashPolicy policy) {
        return plan(desired, observed, Terminations.none(), memory, now, policy);
    }

    /**
     * @param terminating workers being removed: never acted on again but to delete them once their
     *                    process is gone, their names stay taken, and they no longer count as the
     *                    pool's workers (a pool scaled back up gets new workers at once)
     */
    public static Plan plan(List<DesiredPool> desired, Observation seen, Terminations terminating, Memory memory, Instant now,
                            CrashPolicy policy) {
        Observation observed = new Observation(seen.owned().stream().filter(w -> !terminating.contains(w.name())).toList(),
                seen.foreign());
        Map<String, DesiredPool> byName = new HashMap<>();
        desired.forEach(p -> byName.put(p.name(), p));
        Map<String, Integer> rank = ranks(desired);
        int maxRank = rank.values().stream().max(Integer::compare).orElse(0);

        // removal stages: orphaned pools first, then desired pools from the most dependent down
        List<List<Action>> removals = new ArrayList<>();
        List<List<Action>> additions = new ArrayList<>();
        for (int i = 0; i <= maxRank + 1; i++) {
            removals.add(new ArrayList<>());
            additions.add(new ArrayList<>());
        }
        List<String> conflicts = new ArrayList<>();
        List<Instant> wakeUps = new ArrayList<>();

        Map<String, List<ObservedWorker>> orphans = new TreeMap<>();
        for (ObservedWorker w : observed.owned()) {
            if (!byName.containsKey(w.pool())) {
                orphans.computeIfAbsent(w.pool(), k -> new ArrayList<>()).add(w);
            }
        }
        orphans.forEach((pool, workers) -> workers.stream()
                .sorted(Comparator.comparingInt(ObservedWorker::ordinal).reversed())
                .forEach(w -> removals.get(0).add(new Action.RemoveWorker(pool, w.name(), "pool " + pool + " is no longer desired"))));
        // deletes first, from the end of Zinit's list: none moves another service to another slot
        Set<String> exited = new HashSet<>();
        terminating.all().stream().filter(Terminating::exited).forEach(t -> exited.add(t.worker()));
        Map<String, Set<String>> dependents = new HashMap<>();
        seen.owned().forEach(w -> w.after().forEach(a -> dependents.computeIfAbsent(a, k -> new HashSet<>()).add(w.name())));
        SlotSafeDeletes.Order deletes = SlotSafeDeletes.order(seen.slots(), exited, dependents);
        List<Action> deleteStage = deletes.deletes().stream().map(worker -> terminating.of(worker).orElseThrow())
                .<Action>map(t -> new Action.DeleteWorker(t.pool(), t.worker(), t.reason() + "; " + t.exit().orElseThrow().how()))
                .toList();

        for (DesiredPool pool : desired) {
            int r = rank.get(pool.name());
            // the pool's workers a rollout is removing: until their process is gone they count against its surge
            long leavingOutdated = seen.ofPool(pool.name()).stream()
                    .filter(w -> terminating.of(w.name()).map(t -> !t.replace() && !t.exited()).orElse(false)
                    && !w.templateHash().equals(pool.templateHash())).count();
            // removed workers of the pool whose delete is parked and that run its current template: started again before any is created
            List<String> reusable = seen.ofPool(pool.name()).stream()
                    .filter(w -> deletes.parked().contains(w.name()) && !w.state().hasProcess() && w.templateHash().equals(pool.templateHash())
                            && terminating.of(w.name()).map(t -> !t.replace()).orElse(false))
                    .sorted(Comparator.comparingInt(ObservedWorker::ordinal)).map(ObservedWorker::name).toList();
            PoolPlan pp = planPool(pool, observed, terminating, (int) leavingOutdated, memory, now, policy, reusable);
            removals.get(maxRank + 1 - r).addAll(pp.removals);
            additions.get(r).addAll(pp.additions);
            conflicts.addAll(pp.conflicts);
            wakeUps.addAll(pp.wakeUps);
        }
        List<Action> removing = removals.stream().flatMap(List::stream).toList();
        if (removing.stream().anyMatch(a -> a instanceof Action.RemoveWorker)) { // the common pass removes nothing: no graph to build
            StopOrder stopOrder = StopOrder.of(desired, seen.owned(), terminating);
            Set<String> stopping = StopOrder.poolsStopping(removing, terminating);
            // a worker whose process is gone (replace) has nothing left to finish: it needs no order
            removals.forEach(stage -> stage.removeIf(a -> a instanceof Action.RemoveWorker r && !r.replace()
                    && stopOrder.mustWait(r.pool(), stopping)));
        }
        List<List<Action>> stages = new ArrayList<>();
        stages.add(deleteStage);
        stages.addAll(removals);
        stages.addAll(additions);
        Optional<Duration> requeue = wakeUps.stream().min(Comparator.naturalOrder())
                .map(t -> Duration.between(now, t)).map(d -> d.isNegative() ? Duration.ZERO : d);
        return new Plan(stages, conflicts, requeue);
    }

    private record PoolPlan(List<Action> removals, List<Action> additions, List<String> conflicts, List<Instant> wakeUps) {
    }

    private static PoolPlan planPool(DesiredPool pool, Observation observed, Terminations terminating, int leavingOutdated,
                                     Memory memory, Instant now, CrashPolicy policy, List<String> reusable) {
        List<Action> removals = new ArrayList<>();
        List<Action> additions = new ArrayList<>();
        List<Instant> wakeUps = new ArrayList<>();
        List<ObservedWorker> workers = new ArrayList<>(observed.ofPool(pool.name()));
        workers.sort(Comparator.comparingInt(ObservedWorker::ordinal));

        Set<Integer> taken = new HashSet<>();
        workers.forEach(w -> taken.add(w.ordinal()));
        terminating.ofPool(pool.name()).forEach(t -> taken.add(t.ordinal()));
        List<String> conflicts = new ArrayList<>();
        for (String name : observed.foreign()) {
            OptionalInt ordinal = WorkerNames.ordinalIn(pool.name(), name);
            if (ordinal.isPresent()) {
                taken.add(ordinal.getAsInt());
                conflicts.add(name);
            }
        }
        conflicts.sort(Comparator.naturalOrder());

        List<ObservedWorker> current = workers.stream().filter(w -> w.templateHash().equals(pool.templateHash())).toList();
        List<ObservedWorker> outdated = workers.stream().filter(w -> !w.templateHash().equals(pool.templateHash())).toList();
        int replicas = pool.replicas();

        int toCreate;
        List<ObservedWorker> toRemove = new ArrayList<>();
        boolean refused = pool.launchRefused().isPresent();
        if (refused) {
            // nothing new can be launched: keep every worker that runs (outdated ones included, as they
            // could not be replaced), remove only the surplus over replicas
            toCreate = 0;
            toRemove.addAll(removalOrder(workers, pool.removeFirst()).subList(0, Math.max(0, workers.size() - replicas)));
        } else if (outdated.isEmpty()) {
            toCreate = Math.max(0, replicas - current.size());
            if (leavingOutdated > 0) { // the tail of a rollout: still within its surge
                toCreate = Math.max(0, Math.min(toCreate, replicas + pool.maxSurge() - current.size() - leavingOutdated));
            }
            toRemove.addAll(removalOrder(current, pool.removeFirst()).subList(0, Math.max(0, current.size() - replicas)));
        } else {
            // a rollout's surge bounds the services at once: outdated workers still finishing or not yet deleted count
            int total = workers.size() + leavingOutdated;
            toCreate = Math.max(0, Math.min(replicas - current.size(), replicas + pool.maxSurge() - total));
            int minAvailable = Math.max(0, replicas - pool.maxUnavailable());
            long available = workers.stream().filter(ObservedWorker::ready).count();
            for (ObservedWorker w : removalOrder(outdated, pool.removeFirst())) {
                if (!w.ready()) {
                    toRemove.add(w);
                } else if (available - 1 >= minAvailable) {
                    toRemove.add(w);
                    available--;
                }
            }
            // surplus new workers (replicas lowered mid-rollout) go too, not-ready first
            if (current.size() > replicas) {
                toRemove.addAll(removalOrder(current, pool.removeFirst()).subList(0, current.size() - replicas));
            }
        }
        for (ObservedWorker w : toRemove) {
            String why = w.templateHash().equals(pool.templateHash())
                    ? "scale down to " + pool.replicas()
                    : "template changed (" + w.templateHash() + " -> " + pool.templateHash() + ")";
            removals.add(new Action.RemoveWorker(pool.name(), w.name(), why));
        }
        int reused = Math.min(toCreate, reusable.size());
        for (String worker : reusable.subList(0, reused)) {
            additions.add(new Action.ReuseWorker(pool.name(), worker, "scale up to " + pool.replicas()
                    + ": its stopped service, kept in its Zinit slot, starts again"));
        }
        toCreate -= reused;
        int ordinal = 0;
        for (int i = 0; i < toCreate; i++) {
            while (taken.contains(ordinal)) {
                ordinal++;
            }
            taken.add(ordinal);
            String why = outdated.isEmpty() ? "scale up to " + pool.replicas() : "rollout of template " + pool.templateHash();
            additions.add(new Action.CreateWorker(pool.name(), ordinal, WorkerNames.of(pool.name(), ordinal), why));
        }

        Set<String> removed = new HashSet<>();
        toRemove.forEach(w -> removed.add(w.name()));
        for (ObservedWorker w : workers) {
            if (!removed.contains(w.name())) {
                liveness(pool.name(), w, memory.of(w.name()), now, policy, removals, refused ? new ArrayList<>() : additions, wakeUps);
            }
        }
        return new PoolPlan(removals, additions, conflicts, wakeUps);
    }

    /** Crash-loop holds and starts of workers that are down. */
    private static void liveness(String pool, ObservedWorker w, WorkerHistory h, Instant now, CrashPolicy policy,
                                 List<Action> removals, List<Action> additions, List<Instant> wakeUps) {
        if (w.processGone()) {
            // Zinit will never notice this exit; removing the service lets the next pass recreate it.
            Instant due = h.goneSince().orElse(now).plus(policy.downGrace());
            if (!now.isBefore(due)) {
                removals.add(new Action.RemoveWorker(pool, w.name(), "Zinit shows pid " + w.pid()
                        + " running but that process is gone (Zinit lost its exit); removing it to recreate it", true));
            } else {
                wakeUps.add(due);
            }
            return;
        }
        if (h.heldAt(now)) {
            if (w.state().hasProcess()) {
                removals.add(new Action.HoldWorker(pool, w.name(), "crash loop: held until " + h.heldUntil().get()));
            }
            wakeUps.add(h.heldUntil().get());
            return;
        }
        if (w.state().hasProcess() && h.restarts().size() >= policy.restarts()) {
            removals.add(new Action.HoldWorker(pool, w.name(), "crash loop: " + h.restarts().size() + " restarts within "
                    + policy.window().toSeconds() + "s; backing off " + policy.backoff(h.backoffLevel()).toSeconds() + "s"));
            return;
        }
        if (w.state() == ServiceState.INACTIVE) {
            additions.add(new Action.StartWorker(pool, w.name(), "worker is stopped"));
        } else if (w.state() == ServiceState.FAILED || w.state() == ServiceState.EXITED || w.state() == ServiceState.UNKNOWN) {
            Instant since = h.downSince().orElse(now);
            Instant due = since.plus(policy.downGrace());
            if (!now.isBefore(due)) {
                additions.add(new Action.StartWorker(pool, w.name(), "worker has been down since " + since));
            } else {
                wakeUps.add(due);
            }
        }
    }

    /** Surplus goes in this order: not ready before ready, then as preferred, then highest ordinal first. */
    private static List<ObservedWorker> removalOrder(List<ObservedWorker> workers, List<String> preferred) {
        List<ObservedWorker> order = new ArrayList<>(workers);
        order.sort(Comparator.comparing(ObservedWorker::ready)
                .thenComparingInt(w -> preference(preferred, w.name()))
                .thenComparing(ObservedWorker::ordinal, Comparator.reverseOrder()));
        return order;
    }

    private static int preference(List<String> preferred, String worker) {
        int at = preferred.indexOf(worker);
        return at < 0 ? preferred.size() : at;
    }

    /** A pool's rank is one more than the highest rank of the desired pools its workers start after. */
    static Map<String, Integer> ranks(List<DesiredPool> desired) {
        Map<String, Integer> rank = new HashMap<>();
        for (DesiredPool p : desired) {
            rank(p, desired, rank, new HashSet<>());
        }
        return rank;
    }

    private static int rank(DesiredPool p, List<DesiredPool> all, Map<String, Integer> rank, Set<String> visiting) {
        Integer known = rank.get(p.name());
        if (known != null) {
            return known;
        }
        if (!visiting.add(p.name())) {
            return 0; // a cycle: validation reports it; here it only must not recurse forever
        }
        int r = 0;
        for (DesiredPool dep : all) {
            if (dep != p && p.after().stream().anyMatch(a -> a.equals(dep.name()) || WorkerNames.ordinalIn(dep.name(), a).isPresent())) {
                r = Math.max(r, rank(dep, all, rank, visiting) + 1);
            }
        }
        visiting.remove(p.name());
        rank.put(p.name(), r);
        return r;
    }
}
