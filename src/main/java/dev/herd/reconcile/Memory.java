package dev.herd.reconcile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Herd's memory of its workers across passes; every update is a pure function returning a new value.
 */
public record Memory(Map<String, WorkerHistory> workers) {
    public Memory {
        workers = Map.copyOf(workers);
    }

    public static Memory empty() {
        return new Memory(Map.of());
    }

    public WorkerHistory of(String worker) {
        return workers.getOrDefault(worker, WorkerHistory.fresh());
    }

    /** Folds one observation in: new pids are restarts, workers without a process get a down-since time. */
    public Memory observe(Observation observation, Instant now, CrashPolicy policy) {
        Map<String, WorkerHistory> next = new HashMap<>();
        for (ObservedWorker w : observation.owned()) {
            WorkerHistory h = of(w.name());
            List<Instant> restarts = new ArrayList<>(h.restarts());
            int total = h.totalRestarts();
            if (w.pid() > 0 && h.lastPid() > 0 && w.pid() != h.lastPid()) {
                restarts.add(now);
                total++;
            }
            restarts.removeIf(t -> t.isBefore(now.minus(policy.window())));
            Optional<Instant> downSince = w.state().hasProcess() ? Optional.empty() : Optional.of(h.downSince().orElse(now));
            int level = h.backoffLevel();
            boolean stable = w.state().hasProcess() && restarts.isEmpty() && !h.heldAt(now)
                    && h.heldUntil().map(u -> u.plus(policy.window()).isBefore(now)).orElse(true);
            if (stable) {
                level = 0;
            }
            int pid = w.pid() > 0 ? w.pid() : h.lastPid();
            Instant firstSeen = workers.containsKey(w.name()) ? h.firstSeen() : now;
            Optional<Instant> goneSince = w.processGone() ? Optional.of(h.goneSince().orElse(now)) : Optional.empty();
            // a count that grew while Herd watched; one it finds at its start is history, and one that
            // fell belongs to a new group of the same name
            Optional<Instant> oomKilledAt = workers.containsKey(w.name()) && w.oomKills() > h.oomKills() ? Optional.of(now) : h.oomKilledAt();
            next.put(w.name(), new WorkerHistory(pid, restarts, downSince, level, h.heldUntil(), total, firstSeen, goneSince,
                    w.oomKills(), oomKilledAt));
        }
        return new Memory(next);
    }

    /** The workers whose count of kills for memory grew in {@code next}, compared with this memory. */
    public List<String> newlyOomKilled(Memory next) {
        return next.workers().entrySet().stream()
                .filter(e -> e.getValue().oomKilledAt().isPresent() && !e.getValue().oomKilledAt().equals(of(e.getKey()).oomKilledAt()))
                .map(Map.Entry::getKey).sorted().toList();
    }

    /** Records that a worker was held after a crash loop: until when, and one more backoff level. */
    public Memory held(String worker, Instant now, CrashPolicy policy) {
        WorkerHistory h = of(worker);
        Map<String, WorkerHistory> next = new HashMap<>(workers);
        next.put(worker, new WorkerHistory(0, List.of(), h.downSince(), h.backoffLevel() + 1,
                Optional.of(now.plus(policy.backoff(h.backoffLevel()))), h.totalRestarts(), h.firstSeen(), Optional.empty(),
                h.oomKills(), h.oomKilledAt()));
        return new Memory(next);
    }

    /** Records that a held worker was started again: its restart count starts afresh. */
    public Memory released(String worker) {
        WorkerHistory h = of(worker);
        Map<String, WorkerHistory> next = new HashMap<>(workers);
        next.put(worker, new WorkerHistory(0, List.of(), Optional.empty(), h.backoffLevel(), h.heldUntil(), h.totalRestarts(), h.firstSeen(),
                Optional.empty(), h.oomKills(), h.oomKilledAt()));
        return new Memory(next);
    }
}
