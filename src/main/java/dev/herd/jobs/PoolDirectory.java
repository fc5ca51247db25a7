package dev.herd.jobs;

import java.util.Optional;
import java.util.Set;

/** Which pools exist and which pool serves a script type (from the desired state). */
public interface PoolDirectory {

    /** The pool a job goes to: the named pool if it exists, else the pool serving the script type. */
    Optional<String> route(Optional<String> pool, Optional<String> scriptType);

    /** Every pool and the script type it serves, for error messages. */
    Set<String> describe();
}
