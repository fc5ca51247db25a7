package dev.herd.reconcile;

import java.util.List;
import java.util.Set;

/**
 * Zinit's services as Herd sees them in one pass: those it owns, and the names of all others
 * (which it must never touch, and must not collide with).
 */
public record Observation(List<ObservedWorker> owned, Set<String> foreign) {
    public Observation {
        owned = List.copyOf(owned);
        foreign = Set.copyOf(foreign);
    }

    public List<ObservedWorker> ofPool(String pool) {
        return owned.stream().filter(w -> w.pool().equals(pool)).toList();
    }
}
