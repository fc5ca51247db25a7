package dev.herd.zinit;

/** When Zinit restarts a service whose process exited. */
public enum RestartPolicy {
    ALWAYS, ON_FAILURE, NEVER
}
