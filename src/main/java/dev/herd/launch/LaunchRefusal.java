package dev.herd.launch;

/**
 * Why Herd will not launch a pool's workers now; shown as the pool's {@code LaunchRefused} condition.
 *
 * @param reason  one CamelCase word: BinaryMissing, BinaryNotExecutable, BinaryUnreadable,
 *                BinaryMismatch, UnknownUser, UnknownGroup, RootForbidden, LaunchToolMissing
 * @param message file, field, what was found and the fix
 */
public record LaunchRefusal(String reason, String message) {
}
