package dev.herd.reconcile;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** Herd's reading of one worker, as its status shows it (the API's and the CLI's words). */
public enum WorkerPhase {
    /** Running the current template, its process alive. */
    READY("Ready"),
    /** Zinit shows a process that has not yet reached running. */
    STARTING("Starting"),
    /** No process runs it (stopped or exited, and not held). */
    DOWN("Down"),
    /** Held stopped after restarting too often, until its backoff ends. */
    CRASH_LOOP_BACK_OFF("CrashLoopBackOff"),
    /** Running an older template: a rollout replaces it. */
    OUTDATED("Outdated"),
    /** Zinit shows a process that no longer exists on the host (Zinit lost its exit). */
    PROCESS_LOST("ProcessLost"),
    /** Being removed: stop sent, finishing its job in hand. */
    TERMINATING("Terminating"),
    /**
     * Removed, its process gone; its Zinit service is kept stopped until deleting it moves no
     * running service to another slot (Zinit 0.3.9; see {@link SlotSafeDeletes}).
     */
    PARKED("Parked");

    private final String text;

    WorkerPhase(String text) {
        this.text = text;
    }

    /** Being removed or removed: neither capacity nor load of its pool. */
    public boolean leaving() {
        return this == TERMINATING || this == PARKED;
    }

    @JsonValue
    public String text() {
        return text;
    }

    @JsonCreator
    public static WorkerPhase of(String text) {
        return Arrays.stream(values()).filter(p -> p.text.equals(text)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no worker phase " + text));
    }

    @Override
    public String toString() {
        return text;
    }
}
