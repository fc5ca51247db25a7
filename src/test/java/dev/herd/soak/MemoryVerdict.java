package dev.herd.soak;

import java.util.List;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * Whether Herd's memory stayed flat, judged on the last Herd process (the soak never kills Herd in
 * the final part of the run, so that one lives long enough): the median of the last quarter of its
 * samples against the median of the second quarter (the first quarter is start-up and warm-up).
 * Flat means the ratio is at most {@link #MAX_RATIO} for the live heap (heap in use right after a
 * full collection, the figure a leak moves) and, once that process has lived
 * {@link #RSS_JUDGED_AFTER_SECONDS}, for resident memory too: before that, resident memory still
 * grows while the JVM sizes its heap toward {@code -Xmx}, which is not a leak. Pure.
 *
 * @param samples samples of that process
 * @param liveSamples those of them with a live-heap reading
 * @param maxRssKb the highest RSS of any Herd process in the run
 */
record MemoryVerdict(int incarnation, int samples, int liveSamples, double seconds, long q2LiveBytes, long q4LiveBytes,
                     long q2RssKb, long q4RssKb, long maxRssKb) {
    static final double MAX_RATIO = 1.25;
    static final int MIN_SAMPLES = 8;
    static final double RSS_JUDGED_AFTER_SECONDS = 240;

    static Optional<MemoryVerdict> of(List<MemorySampler.Sample> all) {
        if (all.isEmpty()) {
            return Optional.empty();
        }
        int last = all.get(all.size() - 1).incarnation();
        List<MemorySampler.Sample> life = all.stream().filter(s -> s.incarnation() == last).toList();
        List<MemorySampler.Sample> live = life.stream().filter(s -> s.liveHeapBytes() >= 0).toList();
        if (live.size() < MIN_SAMPLES) {
            return Optional.empty();
        }
        long max = all.stream().mapToLong(MemorySampler.Sample::rssKb).max().orElse(0);
        return Optional.of(new MemoryVerdict(last, life.size(), live.size(), life.get(life.size() - 1).seconds() - life.get(0).seconds(),
                quarterMedian(live, 2, MemorySampler.Sample::liveHeapBytes), quarterMedian(live, 4, MemorySampler.Sample::liveHeapBytes),
                quarterMedian(life, 2, MemorySampler.Sample::rssKb), quarterMedian(life, 4, MemorySampler.Sample::rssKb), max));
    }

    double liveRatio() {
        return ratio(q4LiveBytes, q2LiveBytes);
    }

    double rssRatio() {
        return ratio(q4RssKb, q2RssKb);
    }

    boolean rssJudged() {
        return seconds >= RSS_JUDGED_AFTER_SECONDS;
    }

    boolean flat() {
        return liveRatio() <= MAX_RATIO && (!rssJudged() || rssRatio() <= MAX_RATIO);
    }

    /** What grew, for the violation; empty when flat. */
    Optional<String> growth() {
        if (liveRatio() > MAX_RATIO) {
            return Optional.of(String.format("Herd's live heap grew: median %d KiB after full collections in the last quarter against %d KiB in the second (ratio %.2f > %.2f)",
                    q4LiveBytes >> 10, q2LiveBytes >> 10, liveRatio(), MAX_RATIO));
        }
        if (rssJudged() && rssRatio() > MAX_RATIO) {
            return Optional.of(String.format("Herd's resident memory grew: median RSS %d KiB in the last quarter against %d KiB in the second (ratio %.2f > %.2f)",
                    q4RssKb, q2RssKb, rssRatio(), MAX_RATIO));
        }
        return Optional.empty();
    }

    private static double ratio(long later, long earlier) {
        return earlier <= 0 ? Double.POSITIVE_INFINITY : (double) later / earlier;
    }

    /** Median of the {@code quarter}-th quarter (1-based) of the samples. */
    private static long quarterMedian(List<MemorySampler.Sample> samples, int quarter, ToLongFunction<MemorySampler.Sample> value) {
        int n = samples.size();
        List<Long> sorted = samples.subList((quarter - 1) * n / 4, quarter * n / 4).stream().map(value::applyAsLong).sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
