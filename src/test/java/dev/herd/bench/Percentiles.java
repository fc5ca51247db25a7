package dev.herd.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Nearest-rank percentiles of measured durations. Pure. */
record Percentiles(int count, Duration p50, Duration p99, Duration max) {
    static Percentiles of(List<Duration> samples) {
        if (samples.isEmpty()) {
            return new Percentiles(0, Duration.ZERO, Duration.ZERO, Duration.ZERO);
        }
        List<Duration> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        return new Percentiles(sorted.size(), rank(sorted, 0.50), rank(sorted, 0.99), sorted.get(sorted.size() - 1));
    }

    private static Duration rank(List<Duration> sorted, double p) {
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    static String ms(Duration d) {
        return String.format("%.1f ms", d.toNanos() / 1e6);
    }
}
