package dev.herd.scaling;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a pool's decisions remember: recent recommendations (for the stabilization windows), recent
 * changes (for the step limits), since when the queue has been empty (for the cooldown) and failed
 * readings in a row (for the fallback). Immutable; every update returns a new value.
 */
public record ScalingMemory(List<Recommendation> recommendations, List<Change> changes, Optional<Instant> emptySince,
                            int failures) {

    /** @param replicas what the target rule asked for at {@code at} */
    public record Recommendation(Instant at, int replicas) {
    }

    /** A change of the desired count made at {@code at}. */
    public record Change(Instant at, int from, int to) {
    }

    public ScalingMemory {
        recommendations = List.copyOf(recommendations);
        changes = List.copyOf(changes);
        Objects.requireNonNull(emptySince);
    }

    public static ScalingMemory empty() {
        return new ScalingMemory(List.of(), List.of(), Optional.empty(), 0);
    }

    ScalingMemory recommend(Instant at, int replicas, Duration keep) {
        List<Recommendation> next = new ArrayList<>();
        recommendations.stream().filter(r -> !r.at().isBefore(at.minus(keep))).forEach(next::add);
        next.add(new Recommendation(at, replicas));
        return new ScalingMemory(next, changes, emptySince, failures);
    }

    ScalingMemory changed(Instant at, int from, int to, Duration keep) {
        List<Change> next = new ArrayList<>();
        changes.stream().filter(c -> c.at().isAfter(at.minus(keep))).forEach(next::add);
        if (from != to) {
            next.add(new Change(at, from, to));
        }
        return new ScalingMemory(recommendations, next, emptySince, failures);
    }

    ScalingMemory measured(Instant at, boolean empty) {
        Optional<Instant> since = empty ? Optional.of(emptySince.orElse(at)) : Optional.empty();
        return new ScalingMemory(recommendations, changes, since, 0);
    }

    /** A failed reading: one more failure, and an empty queue must be seen afresh before a cooldown counts. */
    ScalingMemory failed() {
        return new ScalingMemory(recommendations, changes, Optional.empty(), failures + 1);
    }
}
