package dev.herd.jobs;

import java.util.Optional;
import java.util.Set;

/** Which pools exist and which pool serves a script type (from the desired state). */
public interface PoolDirectory {

    /** The pool a job goes to: the named pool if it exists, else the pool serving the script type. */
    Optional<String> route(Optional<String> pool, Optional<String> scriptType);

    /**
     * The ready workers a job for {@code pool} may be handed to directly, least important first;
     * empty when the pool's workers share its queue ({@code spec.queue: pool}) or none is ready.
     */
    java.util.List<String> directWorkers(String pool);

    /** Every pool and the script type it serves, for error messages. */
    Set<String> describe();
}
