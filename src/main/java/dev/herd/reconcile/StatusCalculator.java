package dev.herd.reconcile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Computes pools' statuses from what a pass saw and did. Pure. */
public final class StatusCalculator {
    private StatusCalculator() {
    }

    /**
     * @param terminating  workers being removed: listed with the phase Terminating, not counted as the pool's
     * @param failures     failed actions of the last pass, by pool
     * @param previous     last statuses, for the conditions' transition times
     * @param observedGenerations generation each pool's last completed pass acted on
     */
    public static Map<String, PoolStatus> compute(List<PoolIntent> intents, Observation observation, Terminations terminating,
                                                  Memory memory,
                                                  Plan plan, Map<String, List<ActionOutcome>> failures,
                                                  Map<String, PoolStatus> previous, Map<String, Long> observedGenerations,
                                                  Map<String, CreationBudget.Limit> creationsWithheld, CreationBudget budget,
                                                  Instant now) {
        Map<String, PoolStatus> out = new HashMap<>();
        for (PoolIntent intent : intents) {
            DesiredPool pool = intent.pool();
            List<ObservedWorker> all = new ArrayList<>(observation.ofPool(pool.name()));
            all.sort(Comparator.comparingInt(ObservedWorker::ordinal));
            List<ObservedWorker> workers = all.stream().filter(w -> !terminating.contains(w.name())).toList();
            // a parked worker (removed, process gone) is not progress under way
            List<String> leaving = all.stream().filter(w -> terminating.of(w.name()).map(t -> !t.exited()).orElse(false))
                    .map(ObservedWorker::name).toList();
            int ready = (int) workers.stream().filter(ObservedWorker::ready).count();
            int updated = (int) workers.stream().filter(w -> w.templateHash().equals(pool.templateHash())).count();
            List<Action> pending = plan.actions().stream().filter(a -> a.pool().equals(pool.name())).toList();
            List<String> conflicts = plan.conflicts().stream().filter(n -> WorkerNames.ordinalIn(pool.name(), n).isPresent()).toList();
            List<String> looping = workers.stream().filter(w -> memory.of(w.name()).heldAt(now)).map(ObservedWorker::name).toList();
            List<ActionOutcome> failed = failures.getOrDefault(pool.name(), List.of());

            Map<String, Condition> before = new HashMap<>();
            PoolStatus prev = previous.get(pool.name());
            if (prev != null) {
                prev.conditions().forEach(c -> before.put(c.type(), c));
            }
            List<Condition> conditions = new ArrayList<>();
            boolean isReady = ready == pool.replicas() && updated == pool.replicas() && workers.size() == pool.replicas();
            conditions.add(cond(before, Condition.READY, isReady,
                    isReady ? "AllWorkersReady" : "WorkersNotReady",
                    ready + " of " + pool.replicas() + " workers ready, " + updated + " on the current template", now));
            boolean progressing = !pending.isEmpty() || updated != pool.replicas() || workers.size() != pool.replicas()
                    || !leaving.isEmpty();
            conditions.add(cond(before, Condition.PROGRESSING, progressing,
                    progressing ? progressReason(pending, leaving) : "Complete",
                    progressing ? pending.size() + " action(s) under way: " + summary(pending)
                            + (leaving.isEmpty() ? "" : "; terminating: " + leaving) : "pool matches its spec", now));
            boolean degraded = !failed.isEmpty() || !looping.isEmpty();
            conditions.add(cond(before, Condition.DEGRADED, degraded,
                    !looping.isEmpty() ? "CrashLoopBackOff" : degraded ? "ActionsFailed" : "AsExpected",
                    !looping.isEmpty() ? "workers " + looping + " keep crashing and are held back; read their logs"
                            : degraded ? failed.stream().map(o -> o.action().worker() + ": " + o.error()).collect(Collectors.joining("; "))
                            : "no failures", now));
            boolean invalid = !intent.configErrors().isEmpty();
            conditions.add(cond(before, Condition.CONFIG_INVALID, invalid,
                    invalid ? "InvalidSpec" : "Valid",
                    invalid ? "the desired state has errors; the last good spec (generation " + intent.generation()
                            + ") stays in force: " + String.join("; ", intent.configErrors()) : "spec is valid", now));
            boolean conflict = !conflicts.isEmpty();
            conditions.add(cond(before, Condition.CONFLICT, conflict,
                    conflict ? "NameTaken" : "NoConflict",
                    conflict ? "Zinit services " + conflicts + " were not created by this Herd; they are left alone and their"
                            + " ordinals skipped. Remove or rename them, or rename the pool." : "no foreign service uses this pool's names", now));

            CreationBudget.Limit limit = creationsWithheld.get(pool.name());
            boolean capped = limit == CreationBudget.Limit.HOST_CAP;
            long waiting = pending.stream().filter(a -> a instanceof Action.CreateWorker).count();
            conditions.add(cond(before, Condition.HOST_CAPACITY, capped,
                    capped ? "MaxWorkersPerHost" : "WithinCapacity",
                    capped ? "this host runs " + observation.owned().size() + " of at most " + budget.maxWorkersPerHost()
                            + " workers (herd.workers.max-per-host); " + waiting + " creation(s) of this pool wait."
                            + " Raise the setting, or lower this or another pool"
                            : "creations are within herd.workers.max-per-host (" + budget.maxWorkersPerHost() + ")", now));

            var refused = pool.launchRefused();
            conditions.add(cond(before, Condition.LAUNCH_REFUSED, refused.isPresent(),
                    refused.map(r -> r.reason()).orElse("LaunchAllowed"),
                    refused.map(r -> r.message()).orElse("program, user and limits check out"), now));
            Optional<String> unenforced = intent.limitsUnenforced();
            conditions.add(cond(before, Condition.LIMITS_NOT_ENFORCED, unenforced.isPresent(),
                    unenforced.isPresent() ? "NoWritableCgroup" : "LimitsEnforced",
                    unenforced.map(why -> why + "; the workers run without these limits").orElse("the kernel enforces every limit the template sets"),
                    now));

            List<WorkerStatus> workerStatuses = all.stream().map(w -> {
                WorkerHistory h = memory.of(w.name());
                Optional<Terminating> removing = terminating.of(w.name());
                WorkerPhase phase = removing.isPresent() ? (removing.get().exited() ? WorkerPhase.PARKED : WorkerPhase.TERMINATING)
                        : w.processGone() ? WorkerPhase.PROCESS_LOST
                        : h.heldAt(now) ? WorkerPhase.CRASH_LOOP_BACK_OFF
                        : !w.templateHash().equals(pool.templateHash()) ? WorkerPhase.OUTDATED
                        : w.ready() ? WorkerPhase.READY : w.state().hasProcess() ? WorkerPhase.STARTING : WorkerPhase.DOWN;
                return new WorkerStatus(w.name(), w.state().name(), w.pid(), h.totalRestarts(), h.firstSeen(), w.templateHash(), phase,
                        Optional.empty(), h.oomKilledAt().map(at -> new WorkerStatus.Termination(WorkerStatus.Termination.OOM_KILLED, at)));
            }).toList();
            out.put(pool.name(), new PoolStatus(pool.name(), pool.replicas(), workers.size(), ready, updated,
                    intent.generation(), observedGenerations.getOrDefault(pool.name(), 0L), conditions, workerStatuses));
        }
        return out;
    }

    private static Condition cond(Map<String, Condition> before, String type, boolean status, String reason, String message, Instant now) {
        Condition prev = before.get(type);
        return prev == null ? new Condition(type, status, reason, message, now) : prev.next(status, reason, message, now);
    }

    private static String progressReason(List<Action> pending, List<String> leaving) {
        if (pending.stream().anyMatch(a -> a.reason().startsWith("rollout") || a.reason().startsWith("template"))) {
            return "RollingOut";
        }
        if (pending.stream().anyMatch(a -> a instanceof Action.CreateWorker || a instanceof Action.ReuseWorker)) {
            return "ScalingUp";
        }
        if (pending.stream().anyMatch(a -> a instanceof Action.RemoveWorker) || !leaving.isEmpty()) {
            return "ScalingDown";
        }
        return pending.isEmpty() ? "WaitingForWorkers" : "Repairing";
    }

    private static String summary(List<Action> pending) {
        return pending.stream().limit(5).map(a -> a.kind() + " " + a.worker()).collect(Collectors.joining(", "))
                + (pending.size() > 5 ? ", ..." : "");
    }
}
