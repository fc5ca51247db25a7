package dev.herd.desired;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What Herd should do about one pool now.
 *
 * @param name       the pool's name
 * @param lastGood   the spec to reconcile to: the newest valid one, kept while the file is broken;
 *                   empty when the pool has never been valid (then nothing is started for it)
 * @param generation increases by one with every accepted change of the spec (0 before the first);
 *                   it never goes back, even when a pool is removed and later added again
 * @param errors     what is wrong now (empty when the newest document was accepted); the
 *                   ConfigInvalid condition of the pool's status
 * @param file       the file the pool was last seen in
 */
public record PoolState(String name, Optional<WorkerPool> lastGood, long generation, List<ConfigError> errors,
                        Path file) {
    public PoolState {
        Objects.requireNonNull(name);
        Objects.requireNonNull(lastGood);
        errors = List.copyOf(errors);
        Objects.requireNonNull(file);
    }

    /** True when the newest document of the pool is the spec in force. */
    public boolean valid() {
        return errors.isEmpty();
    }
}
