package dev.herd.desired;

import java.util.Locale;
import java.util.Optional;

/**
 * How a pool's jobs reach its workers.
 * <ul>
 *   <li>{@code pool} (default): one shared queue, workers compete for jobs; the first free worker
 *       takes the next job;</li>
 *   <li>{@code worker}: Herd hands each job to one worker's own queue (the least loaded ready one),
 *       as the original design's {@code hero:work_queue:{worker_id}} did. Jobs for a pool with no
 *       ready worker wait in the pool queue, which every worker also reads.</li>
 * </ul>
 */
public enum QueueMode {
    POOL, WORKER;

    public String yaml() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<QueueMode> parse(String text) {
        for (QueueMode m : values()) {
            if (m.yaml().equals(text)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
