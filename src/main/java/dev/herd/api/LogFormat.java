package dev.herd.api;

import dev.herd.zinit.LogLine;
import java.time.Instant;

/** One log line as the logs endpoints write it. Pure. */
final class LogFormat {
    private LogFormat() {
    }

    /** {@code <time> [<worker>] <stream> <text>\n}; the time is left out where the dialect has none. */
    static String line(LogLine l, boolean withWorker) {
        StringBuilder out = new StringBuilder();
        if (l.timestampMs() > 0) {
            out.append(Instant.ofEpochMilli(l.timestampMs())).append(' ');
        }
        if (withWorker) {
            out.append(l.service()).append(' ');
        }
        String stream = switch (l.stream()) {
            case STDOUT -> "stdout";
            case STDERR -> "stderr";
            case UNKNOWN -> "-";
        };
        return out.append(stream).append(' ').append(l.text().replace("\n", " ")).append('\n').toString();
    }
}
