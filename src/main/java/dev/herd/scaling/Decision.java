package dev.herd.scaling;

import java.util.Objects;

/**
 * The outcome of one decision.
 *
 * @param from        the count in force before
 * @param desired     the count to have now
 * @param recommended what the target rule alone asked for (before windows and steps), or the count
 *                    held when there was no data
 * @param rule        what decided {@code desired}
 * @param explanation inputs and rule in words, for events and status
 * @param memory      the memory to pass to the next decision
 */
public record Decision(int from, int desired, int recommended, Rule rule, String explanation, ScalingMemory memory) {
    public Decision {
        Objects.requireNonNull(rule);
        Objects.requireNonNull(explanation);
        Objects.requireNonNull(memory);
    }

    public boolean changed() {
        return desired != from;
    }
}
