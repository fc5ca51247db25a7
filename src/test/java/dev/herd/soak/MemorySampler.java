package dev.herd.soak;

import dev.herd.testing.LiveHeapProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Samples the running Herd's resident memory (VmRSS from /proc) and heap in use (the sum of its
 * {@code jvm_memory_used_bytes{area="heap"}} series) on its own thread, and every
 * {@code liveEvery}-th sample its live heap ({@link LiveHeapProbe}), tagged with which Herd process
 * it was, since the soak restarts Herd.
 */
final class MemorySampler implements AutoCloseable {
    /** @param liveHeapBytes heap in use after a full collection, or -1 where not probed */
    record Sample(double seconds, int incarnation, long rssKb, long heapBytes, long liveHeapBytes) {
    }

    /** The running Herd, when there is one. */
    record Target(int incarnation, long pid, Supplier<java.util.Optional<String>> metrics) {
    }

    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stopped;

    MemorySampler(Supplier<java.util.Optional<Target>> target, long periodMillis, int liveEvery) {
        long start = System.nanoTime();
        LiveHeapProbe probe = new LiveHeapProbe();
        thread = new Thread(() -> {
            for (long tick = 0; !stopped; tick++) {
                boolean probeLive = tick % liveEvery == 0;
                target.get().ifPresent(t -> rss(t.pid()).ifPresent(rss -> {
                    long heap = t.metrics().get().map(MemorySampler::heapBytes).orElse(-1L);
                    long live = probeLive ? probe.liveBytes(t.pid()).orElse(-1L) : -1L;
                    synchronized (samples) {
                        samples.add(new Sample((System.nanoTime() - start) / 1e9, t.incarnation(), rss, heap, live));
                    }
                }));
                try {
                    Thread.sleep(periodMillis);
                } catch (InterruptedException e) {
                    break;
                }
            }
            probe.close();
        }, "soak-memory");
        thread.setDaemon(true);
        thread.start();
    }

    List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    static java.util.Optional<Long> rss(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst();
        } catch (IOException | RuntimeException gone) {
            return java.util.Optional.empty();
        }
    }

    static long heapBytes(String prometheus) {
        double sum = 0;
        for (String line : prometheus.lines().toList()) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return (long) sum;
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
    }
}
