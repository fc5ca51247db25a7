package dev.herd.scaling;

import java.util.Objects;

/** One tick's view of a pool's work: measured, or not readable (never guessed as zero). */
public sealed interface Reading {

    /**
     * @param queued   jobs waiting in the pool's queue and its workers' own queues
     * @param inFlight jobs taken by workers and not finished (their processing lists)
     */
    record Measured(long queued, long inFlight) implements Reading {
        public Measured {
            if (queued < 0 || inFlight < 0) {
                throw new IllegalArgumentException("counts cannot be negative");
            }
        }

        public long work() {
            return queued + inFlight;
        }
    }

    /** @param reason why the queue could not be read, in words */
    record Failed(String reason) implements Reading {
        public Failed {
            Objects.requireNonNull(reason);
        }
    }
}
