package dev.herd.zinit;

import io.smallrye.mutiny.Multi;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Follows a service's output on a Zinit without a log subscription, by reading the tail at an
 * interval and passing on only lines not passed on before. Two ways to tell new from old:
 * by timestamp where the dialect stamps its lines ({@link #follow}), by overlap of consecutive
 * tails where it does not ({@link #followWindow}).
 */
public final class LogFollower {
    private static final int TAIL = 500;

    private LogFollower() {
    }

    /** For dialects whose lines carry a capture time (v0.3). */
    public static Multi<LogLine> follow(ZinitClient client, String name, Duration interval, int backlog) {
        return poll(client, name, interval, backlog, () -> new Cursor()::newer);
    }

    /**
     * For dialects whose lines carry no time (v0.2, legacy): each tail is a window sliding over
     * the output, so what is new is what follows the longest overlap with the previous tail.
     */
    public static Multi<LogLine> followWindow(ZinitClient client, String name, Duration interval, int backlog) {
        return poll(client, name, interval, backlog, () -> new WindowCursor()::newer);
    }

    /** The first tail is what was written before: only its last {@code backlog} lines are passed on. */
    private static Multi<LogLine> poll(ZinitClient client, String name, Duration interval, int backlog,
                                       Supplier<Function<List<LogLine>, List<LogLine>>> cursors) {
        return Multi.createFrom().deferred(() -> {
            Function<List<LogLine>, List<LogLine>> cursor = cursors.get();
            java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
            return Multi.createFrom().ticks().every(interval)
                    .onOverflow().drop()
                    .onItem().transformToUniAndConcatenate(tick -> client.logs(name, TAIL))
                    .onItem().transformToIterable(tail -> {
                        List<LogLine> fresh = cursor.apply(tail);
                        return first.getAndSet(false) ? fresh.subList(Math.max(0, fresh.size() - Math.max(0, backlog)), fresh.size()) : fresh;
                    });
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

    /**
     * Remembers the previous tail. The longest suffix of it that the new tail starts with is what
     * both have seen; the rest is new. A run of identical lines longer than the overlap can hide
     * repeats of it: without timestamps nothing can tell them apart.
     */
    static final class WindowCursor {
        private List<LogLine> previous = List.of();

        synchronized List<LogLine> newer(List<LogLine> tail) {
            int overlap = overlap(previous, tail);
            previous = List.copyOf(tail);
            return new ArrayList<>(tail.subList(overlap, tail.size()));
        }

        private static int overlap(List<LogLine> before, List<LogLine> now) {
            for (int k = Math.min(before.size(), now.size()); k > 0; k--) {
                if (before.subList(before.size() - k, before.size()).equals(now.subList(0, k))) {
                    return k;
                }
            }
            return 0;
        }
    }
}
