package dev.herd.recovery;

import java.time.Instant;
import java.util.Optional;

/** What Zinit and the worker's own hash said about a worker at one observation. */
public sealed interface WorkerLife {

    /** Zinit has no service of that name (removed, or never created by this Zinit). */
    record Absent() implements WorkerLife {
    }

    /** The service exists but no process runs it (stopped, exited, failed, waiting to restart). */
    record NoProcess() implements WorkerLife {
    }

    /**
     * A process runs the service.
     *
     * @param startedAt when the worker's current process started, from its hash, when it wrote one
     */
    record Running(Optional<Instant> startedAt) implements WorkerLife {
    }
}
