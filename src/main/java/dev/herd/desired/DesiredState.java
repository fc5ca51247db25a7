package dev.herd.desired;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A consistent snapshot of the desired state: every pool Herd knows of, with its last good spec,
 * generation and current errors. Immutable; equal snapshots mean nothing changed.
 *
 * @param pools       by name, sorted
 * @param errors      every current error, including those no pool can be named for, sorted
 * @param generations the highest generation ever given to each pool name, so a pool removed and added
 *                    again continues its count (a reconciler's observedGeneration is never ahead)
 */
public record DesiredState(SortedMap<String, PoolState> pools, List<ConfigError> errors, Map<String, Long> generations) {
    public static final DesiredState EMPTY = new DesiredState(new TreeMap<>(), List.of(), Map.of());

    public DesiredState {
        pools = Collections.unmodifiableSortedMap(new TreeMap<>(pools));
        errors = List.copyOf(errors);
        generations = Map.copyOf(generations);
    }

    /** The pools to reconcile: each one's last good spec, by name. */
    public Map<String, WorkerPool> activePools() {
        TreeMap<String, WorkerPool> active = new TreeMap<>();
        pools.values().forEach(p -> p.lastGood().ifPresent(spec -> active.put(p.name(), spec)));
        return Collections.unmodifiableMap(active);
    }

    public Optional<PoolState> pool(String name) {
        return Optional.ofNullable(pools.get(name));
    }

    public boolean valid() {
        return errors.isEmpty();
    }
}
