package dev.herd.zinit;

/** The state of a Zinit service, normalised across dialects. The dialect's own text is kept in {@link ServiceStatus#rawState()}. */
public enum ServiceState {
    /** Known to Zinit, never started or stopped on purpose. */
    INACTIVE,
    /** Waiting for a dependency. */
    BLOCKED,
    /** Spawned, not yet confirmed running (v0.3 Starting, v0.2 Spawned). */
    STARTING,
    RUNNING,
    STOPPING,
    /** Exited on its own with success (v0.3 Exited, v0.2 Success). */
    EXITED,
    /** Exited with an error, killed, failed its test, or could not spawn. */
    FAILED,
    /** A state text this client does not know; the raw text says what it was. */
    UNKNOWN;

    public boolean hasProcess() {
        return this == STARTING || this == RUNNING || this == STOPPING;
    }
}
