package dev.herd.soak;

import java.util.List;
import java.util.Optional;

/**
 * Whether Herd's memory stayed flat, judged on the last Herd process (the soak never kills Herd in
 * the final part of the run, so that one lives long enough): the median resident memory of the
 * last quarter of its samples against the median of the second quarter (the first quarter is
 * start-up and warm-up). Flat means the ratio is at most {@link #MAX_RATIO}. Pure.
 *
 * @param samples samples of that process
 * @param q2RssKb median RSS of its second quarter
 * @param q4RssKb median RSS of its last quarter
 * @param maxRssKb the highest RSS of any Herd process in the run
 */
record MemoryVerdict(int incarnation, int samples, double seconds, long q2RssKb, long q4RssKb, long maxRssKb,
                     long q2HeapBytes, long q4HeapBytes) {
    static final double MAX_RATIO = 1.25;
    static final int MIN_SAMPLES = 8;

    static Optional<MemoryVerdict> of(List<MemorySampler.Sample> all) {
        if (all.isEmpty()) {
            return Optional.empty();
        }
        int last = all.get(all.size() - 1).incarnation();
        List<MemorySampler.Sample> life = all.stream().filter(s -> s.incarnation() == last).toList();
        if (life.size() < MIN_SAMPLES) {
            return Optional.empty();
        }
        int n = life.size();
        List<MemorySampler.Sample> q2 = life.subList(n / 4, n / 2);
        List<MemorySampler.Sample> q4 = life.subList(3 * n / 4, n);
        long max = all.stream().mapToLong(MemorySampler.Sample::rssKb).max().orElse(0);
        return Optional.of(new MemoryVerdict(last, n, life.get(n - 1).seconds() - life.get(0).seconds(),
                median(q2.stream().map(MemorySampler.Sample::rssKb).toList()), median(q4.stream().map(MemorySampler.Sample::rssKb).toList()), max,
                median(q2.stream().map(MemorySampler.Sample::heapBytes).toList()), median(q4.stream().map(MemorySampler.Sample::heapBytes).toList())));
    }

    double ratio() {
        return q2RssKb == 0 ? Double.POSITIVE_INFINITY : (double) q4RssKb / q2RssKb;
    }

    boolean flat() {
        return ratio() <= MAX_RATIO;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
