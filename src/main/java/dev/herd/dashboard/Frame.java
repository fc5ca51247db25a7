package dev.herd.dashboard;

import java.time.Instant;
import java.util.List;

/**
 * What a viewer receives: the fleet now, and history samples it may not have yet. The first frame
 * of a connection carries every pool's whole history; later ones only the samples taken since the
 * frame before (often none), so a viewer appends them.
 *
 * @param time    when the frame was made
 * @param fleet   the fleet now
 * @param history per pool, samples to append, oldest first
 */
public record Frame(Instant time, FleetView fleet, List<Series> history) {
    public Frame {
        history = List.copyOf(history);
    }
}
