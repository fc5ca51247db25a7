package dev.herd.cli;

import java.time.Duration;
import java.time.Instant;

/** Ages the way kubectl prints them (45s, 12m, 5h, 3d). Pure. */
final class Ages {
    private Ages() {
    }

    static String between(Instant then, Instant now) {
        long s = Math.max(0, Duration.between(then, now).toSeconds());
        if (s < 120) {
            return s + "s";
        }
        if (s < 2 * 3600) {
            return s / 60 + "m";
        }
        if (s < 48 * 3600) {
            return s / 3600 + "h";
        }
        return s / 86400 + "d";
    }
}
