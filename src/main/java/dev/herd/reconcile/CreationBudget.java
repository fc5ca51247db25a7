package dev.herd.reconcile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How many workers one pass may create (or start again from a parked service), so that one change (a big override, a typo in replicas)
 * cannot flood the host, as the ReplicaSet controller's slow start and burst limit keep a node
 * from being flooded:
 * <ul>
 *   <li><b>slow start</b>: a pool creates 1 worker in its first pass of creations, then 2, 4, …
 *       as long as every creation succeeded; one failure takes it back to 1;</li>
 *   <li><b>burst</b>: at most {@code burstPerPass} creations in one pass over all pools;</li>
 *   <li><b>host cap</b>: never more than {@code maxWorkersPerHost} workers of this Herd on the host,
 *       counting those still terminating;</li>
 *   <li><b>order</b>: a stage's creations wait while an earlier stage still has creations held
 *       back, so the pools a pool starts after are complete before it gets its first worker.</li>
 * </ul>
 * Each pass is one batch: the loop plans again before the next, so a lowered or withdrawn count
 * stops creation within one pass. Pure: the batch sizes are the caller's memory.
 */
public record CreationBudget(int burstPerPass, int maxWorkersPerHost) {

    public CreationBudget {
        if (burstPerPass < 1 || maxWorkersPerHost < 0) {
            throw new IllegalArgumentException("burst must be at least 1 and the host cap not negative");
        }
    }

    /** What held a pool's creations back in a pass. */
    public enum Limit {
        /** Waits for an earlier stage (the pools it starts after) to be created in full. */
        ORDER,
        SLOW_START,
        BURST,
        HOST_CAP;

        /** Whether another pass right away can create more (the host cap waits for a removal instead). */
        public boolean passesOnItsOwn() {
            return this == SLOW_START || this == BURST;
        }
    }

    /**
     * The plan with only the creations this pass may make (the lowest ordinals first, as planned),
     * and what held back each pool that has creations left.
     */
    public record Limited(Plan plan, Map<String, Limit> withheld) {
        public Limited {
            withheld = Map.copyOf(withheld);
        }
    }

    /**
     * @param batches  each pool's slow-start batch size (absent: 1)
     * @param onHost   workers of this Herd on the host now, terminating ones included, parked ones (no process) not
     */
    public Limited apply(Plan plan, Map<String, Integer> batches, int onHost) {
        int hostLeft = Math.max(0, maxWorkersPerHost - onHost);
        int burstLeft = burstPerPass;
        Map<String, Integer> poolLeft = new HashMap<>();
        Map<String, Limit> withheld = new HashMap<>();
        List<List<Action>> stages = new ArrayList<>();
        for (List<Action> stage : plan.stages()) {
            boolean earlierHeld = !withheld.isEmpty();
            List<Action> kept = new ArrayList<>();
            for (Action a : stage) {
                if (!startsAProcess(a)) {
                    kept.add(a);
                    continue;
                }
                int left = poolLeft.computeIfAbsent(a.pool(), p -> Math.max(1, batches.getOrDefault(p, 1)));
                Limit limit = earlierHeld ? Limit.ORDER : hostLeft == 0 ? Limit.HOST_CAP : burstLeft == 0 ? Limit.BURST
                        : left == 0 ? Limit.SLOW_START : null;
                if (limit != null) {
                    withheld.merge(a.pool(), limit, (x, y) -> x.compareTo(y) >= 0 ? x : y);
                    continue;
                }
                kept.add(a);
                hostLeft--;
                burstLeft--;
                poolLeft.put(a.pool(), left - 1);
            }
            stages.add(kept);
        }
        return new Limited(new Plan(stages, plan.conflicts(), plan.requeueAfter()), withheld);
    }

    /** A creation, or a parked worker started again: either adds a process to the host. */
    private static boolean startsAProcess(Action a) {
        return a instanceof Action.CreateWorker || a instanceof Action.ReuseWorker;
    }

    /**
     * The batch sizes for the next pass: doubled (up to the burst) for a pool whose creations all
     * succeeded and that has more to create, back to 1 after a failed creation, and forgotten
     * (1 again) once a pool has nothing left to create.
     */
    public Map<String, Integer> next(Map<String, Integer> batches, Limited applied, List<ActionOutcome> outcomes) {
        Set<String> failed = new HashSet<>();
        Set<String> created = new HashSet<>();
        for (ActionOutcome o : outcomes) {
            if (startsAProcess(o.action())) {
                (o.succeeded() ? created : failed).add(o.action().pool());
            }
        }
        Map<String, Integer> next = new HashMap<>();
        for (String pool : applied.withheld().keySet()) {
            int batch = Math.max(1, batches.getOrDefault(pool, 1));
            next.put(pool, failed.contains(pool) ? 1 : created.contains(pool) ? Math.min(burstPerPass, batch * 2) : batch);
        }
        return Map.copyOf(next);
    }
}
