package dev.herd.reconcile;

/**
 * What applying one action came to.
 *
 * @param action    the action
 * @param succeeded whether it took effect (or was already in effect)
 * @param retryable on failure: whether trying again later can help
 * @param error     on failure: what went wrong, in words that say what to fix
 */
public record ActionOutcome(Action action, boolean succeeded, boolean retryable, String error) {
    static ActionOutcome ok(Action action) {
        return new ActionOutcome(action, true, false, "");
    }

    static ActionOutcome failed(Action action, Throwable cause) {
        boolean retryable = !(cause instanceof dev.herd.zinit.ZinitException z) || z.retryable();
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new ActionOutcome(action, false, retryable, message);
    }
}
