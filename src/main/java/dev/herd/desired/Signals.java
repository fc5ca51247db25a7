package dev.herd.desired;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The stop signals a template may name; {@code TERM} and {@code sigterm} are read as {@code SIGTERM}. */
public final class Signals {
    public static final List<String> NAMES = List.of("SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT", "SIGKILL",
            "SIGUSR1", "SIGUSR2", "SIGABRT", "SIGALRM", "SIGPWR", "SIGWINCH");

    private Signals() {
    }

    /** The SIG-prefixed upper-case name, or empty when the signal is unknown. */
    public static Optional<String> normalize(String text) {
        String upper = text.strip().toUpperCase(Locale.ROOT);
        String name = upper.startsWith("SIG") ? upper : "SIG" + upper;
        return NAMES.contains(name) ? Optional.of(name) : Optional.empty();
    }
}
