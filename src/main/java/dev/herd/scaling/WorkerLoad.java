package dev.herd.scaling;

import java.util.Objects;

/**
 * One worker's hand, as read with the queue: for in-flight work and for choosing whom to remove.
 *
 * @param name        the worker id
 * @param inFlight    jobs in its processing list (taken, not finished)
 * @param queued      jobs waiting in its own queue
 * @param busy        it holds a job (processing list not empty, or its status hash says busy)
 * @param lastJobAtMs when it last finished a job (epoch ms), 0 when never
 */
public record WorkerLoad(String name, long inFlight, long queued, boolean busy, long lastJobAtMs) {
    public WorkerLoad {
        Objects.requireNonNull(name);
    }
}
