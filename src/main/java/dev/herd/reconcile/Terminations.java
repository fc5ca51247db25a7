package dev.herd.reconcile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The workers being removed, by name: an input of the {@link Planner} (their names stay taken and
 * they are never removed twice) and of the status. Immutable; every update returns a new value.
 */
public record Terminations(Map<String, Terminating> byWorker) {
    public Terminations {
        byWorker = Map.copyOf(byWorker);
    }

    public static Terminations none() {
        return new Terminations(Map.of());
    }

    public boolean contains(String worker) {
        return byWorker.containsKey(worker);
    }

    public Optional<Terminating> of(String worker) {
        return Optional.ofNullable(byWorker.get(worker));
    }

    public Collection<Terminating> all() {
        return byWorker.values();
    }

    public List<Terminating> ofPool(String pool) {
        List<Terminating> out = new ArrayList<>();
        byWorker.values().forEach(t -> {
            if (t.pool().equals(pool)) {
                out.add(t);
            }
        });
        return out;
    }

    public boolean isEmpty() {
        return byWorker.isEmpty();
    }

    /** With {@code t} added; a worker already terminating keeps its first entry (and deadline). */
    public Terminations begun(Terminating t) {
        return contains(t.worker()) ? this : with(t);
    }

    /** With the worker's process recorded as gone. */
    public Terminations exited(String worker, Instant at, String how) {
        Terminating t = byWorker.get(worker);
        if (t == null || t.exited()) {
            return this;
        }
        return with(new Terminating(t.worker(), t.pool(), t.ordinal(), t.reason(), t.since(), t.deadline(),
                Optional.of(new Terminating.Exit(at, how)), t.replace()));
    }

    /**
     * With an exited worker terminating again from {@code now}, with the same grace: Zinit started
     * it again after its stop (a restart that was pending, or Zinit's own restart).
     */
    public Terminations rearmed(String worker, Instant now) {
        Terminating t = byWorker.get(worker);
        if (t == null || !t.exited()) {
            return this;
        }
        return with(new Terminating(t.worker(), t.pool(), t.ordinal(), t.reason(), now,
                now.plus(java.time.Duration.between(t.since(), t.deadline())), t.replace()));
    }

    private Terminations with(Terminating t) {
        Map<String, Terminating> next = new HashMap<>(byWorker);
        next.put(t.worker(), t);
        return new Terminations(next);
    }

    /** Without the worker: its service is deleted. */
    public Terminations finished(String worker) {
        if (!contains(worker)) {
            return this;
        }
        Map<String, Terminating> next = new HashMap<>(byWorker);
        next.remove(worker);
        return new Terminations(next);
    }
}
