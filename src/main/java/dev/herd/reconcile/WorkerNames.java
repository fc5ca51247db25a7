package dev.herd.reconcile;

import java.util.OptionalInt;

/** A worker's Zinit service name is its pool and ordinal: {@code osis-0}, {@code osis-1}, ... */
public final class WorkerNames {
    private WorkerNames() {
    }

    public static String of(String pool, int ordinal) {
        return pool + "-" + ordinal;
    }

    /** The ordinal when {@code name} has the form {@code <pool>-<n>}, else empty. */
    public static OptionalInt ordinalIn(String pool, String name) {
        if (!name.startsWith(pool + "-")) {
            return OptionalInt.empty();
        }
        String rest = name.substring(pool.length() + 1);
        if (rest.isEmpty() || rest.length() > 6 || !rest.chars().allMatch(Character::isDigit)
                || (rest.length() > 1 && rest.charAt(0) == '0')) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(Integer.parseInt(rest));
    }
}
