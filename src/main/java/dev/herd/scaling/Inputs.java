package dev.herd.scaling;

import java.util.Objects;

/**
 * What one decision looks at besides the spec and memory.
 *
 * @param reading  the pool's queue reading of this tick
 * @param inForce  the desired count in force now; workers still starting are part of it, so they
 *                 count as capacity and a burst is never answered twice
 * @param ready    workers running now (for the explanation)
 * @param starting workers created and not yet running (for the explanation)
 */
public record Inputs(Reading reading, int inForce, int ready, int starting) {
    public Inputs {
        Objects.requireNonNull(reading);
        if (inForce < 0 || ready < 0 || starting < 0) {
            throw new IllegalArgumentException("counts cannot be negative");
        }
    }
}
