package dev.herd.reconcile;

import java.time.Instant;

/**
 * Something Herd did or noticed, and why.
 *
 * @param time    when
 * @param type    Normal or Warning
 * @param reason  one CamelCase word: Created, Removed, Started, CrashLoopBackOff, Failed, Conflict, ...
 * @param pool    the pool
 * @param worker  the worker, or empty
 * @param message what and why, in words
 */
public record Event(Instant time, String type, String reason, String pool, String worker, String message) {
}
