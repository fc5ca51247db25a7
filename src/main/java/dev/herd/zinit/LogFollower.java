package dev.herd.zinit;

import io.smallrye.mutiny.Multi;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Follows a service's output on a Zinit without a log subscription, by reading the tail at an
 * interval and passing on only lines newer than the last one passed on. Lines with the same
 * millisecond are told apart by their text, so a burst is neither lost nor repeated.
 */
public final class LogFollower {
    private static final int TAIL = 500;

    private LogFollower() {
    }

    public static Multi<LogLine> follow(ZinitClient client, String name, Duration interval) {
        return Multi.createFrom().deferred(() -> {
            Cursor cursor = new Cursor();
            return Multi.createFrom().ticks().every(interval)
                    .onOverflow().drop()
                    .onItem().transformToUniAndConcatenate(tick -> client.logs(name, TAIL))
                    .onItem().transformToIterable(cursor::newer);
        });
    }

    /** Remembers the newest timestamp passed on and the lines already passed on at it. */
    static final class Cursor {
        private long newest = Long.MIN_VALUE;
        private final Set<String> atNewest = new HashSet<>();

        synchronized List<LogLine> newer(List<LogLine> tail) {
            List<LogLine> out = new ArrayList<>();
            List<LogLine> ordered = new ArrayList<>(tail);
            ordered.sort(java.util.Comparator.comparingLong(LogLine::timestampMs));
            for (LogLine line : ordered) {
                String key = line.stream() + "|" + line.text();
                if (line.timestampMs() > newest) {
                    newest = line.timestampMs();
                    atNewest.clear();
                    atNewest.add(key);
                    out.add(line);
                } else if (line.timestampMs() == newest && atNewest.add(key)) {
                    out.add(line);
                }
            }
            return out;
        }
    }
}
