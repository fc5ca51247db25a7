package dev.herd.desired;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as written in the files: one or more number-unit pairs, e.g. {@code 500ms}, {@code 30s}, {@code 1m30s}, {@code 1h}. */
public final class Durations {
    private static final Pattern WHOLE = Pattern.compile("(?:\\d{1,9}(?:ms|s|m|h))+");
    private static final Pattern PART = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    private Durations() {
    }

    /** The duration written in {@code text}, or empty when it is not one. */
    public static Optional<Duration> parse(String text) {
        if (text.length() > 32 || !WHOLE.matcher(text).matches()) { // longer is no duration, and deep for the regex
            return Optional.empty();
        }
        Duration total = Duration.ZERO;
        Matcher m = PART.matcher(text);
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            });
        }
        return Optional.of(total);
    }

    /** The shortest text {@link #parse} reads back as {@code d}, e.g. {@code 1m30s}; {@code 0s} for zero. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        long ms = d.toMillis();
        long[] sizes = {3_600_000, 60_000, 1_000, 1};
        String[] units = {"h", "m", "s", "ms"};
        for (int i = 0; i < sizes.length; i++) {
            if (ms >= sizes[i]) {
                out.append(ms / sizes[i]).append(units[i]);
                ms %= sizes[i];
            }
        }
        return out.toString();
    }
}
