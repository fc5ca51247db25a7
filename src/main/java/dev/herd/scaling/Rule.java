package dev.herd.scaling;

/** What decided a count: the target rule itself or the limit that bent it. */
public enum Rule {
    /** ceil((queued + inFlight) / targetQueueLengthPerReplica). */
    TARGET("target"),
    MIN_REPLICAS("minReplicas"),
    MAX_REPLICAS("maxReplicas"),
    /** The change would be within the tolerance band of the target: nothing is done. */
    TOLERANCE("tolerance"),
    /** A pool at zero stays there until work exceeds activationQueueLength. */
    ACTIVATION("activationQueueLength"),
    /** The queue has not been empty for the whole cooldown: one worker stays. */
    COOLDOWN("cooldown"),
    /** Growing goes only to the lowest recommendation of the scale-up window. */
    SCALE_UP_WINDOW("scaleUpStabilization"),
    /** Shrinking goes only to the highest recommendation of the scale-down window. */
    SCALE_DOWN_WINDOW("scaleDownStabilization"),
    SCALE_UP_STEP("maxScaleUpStep"),
    SCALE_DOWN_STEP("maxScaleDownStep"),
    /** The reading failed: the count is held, never lowered on missing data. */
    HELD_NO_DATA("held: no data"),
    /** The reading failed fallbackAfterFailures times in a row: fallbackReplicas as a floor. */
    FALLBACK("fallbackReplicas"),
    /** A manual override over HTTP is in force. */
    OVERRIDE("override");

    private final String text;

    Rule(String text) {
        this.text = text;
    }

    /** The spec field (or state) a person would look at. */
    public String text() {
        return text;
    }
}
