package dev.herd.desired;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The stop signals a template may name, written as Zinit and kill(1) spell them. Only these exact
 * names are accepted, so the file, the JSON Schema and the Zinit service all say the same thing.
 */
public final class Signals {
    public static final List<String> NAMES = List.of("SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT", "SIGKILL",
            "SIGUSR1", "SIGUSR2", "SIGABRT", "SIGALRM", "SIGPWR", "SIGWINCH");

    private Signals() {
    }

    public static boolean isKnown(String name) {
        return NAMES.contains(name);
    }

    /** The known signal {@code text} most likely means: {@code term} and {@code TERM} mean SIGTERM. */
    static Optional<String> suggestion(String text) {
        String upper = text.strip().toUpperCase(Locale.ROOT);
        String prefixed = upper.startsWith("SIG") ? upper : "SIG" + upper;
        return NAMES.contains(prefixed) ? Optional.of(prefixed) : DidYouMean.closest(prefixed, NAMES);
    }
}
