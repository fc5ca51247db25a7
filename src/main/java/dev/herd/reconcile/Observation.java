package dev.herd.reconcile;

import java.util.List;
import java.util.Set;

/**
 * Zinit's services as Herd sees them in one pass: those it owns, and the names of all others
 * (which it must never touch, and must not collide with).
 *
 * @param slots every service's name in Zinit's list order, which is its slot order, where a delete
 *              moves another service (Zinit 0.3.9; see {@link SlotSafeDeletes}); empty for a
 *              Zinit that does not
 */
public record Observation(List<ObservedWorker> owned, Set<String> foreign, List<String> slots) {
    public Observation {
        owned = List.copyOf(owned);
        foreign = Set.copyOf(foreign);
        slots = List.copyOf(slots);
    }

    public Observation(List<ObservedWorker> owned, Set<String> foreign) {
        this(owned, foreign, List.of());
    }

    public List<ObservedWorker> ofPool(String pool) {
        return owned.stream().filter(w -> w.pool().equals(pool)).toList();
    }
}
