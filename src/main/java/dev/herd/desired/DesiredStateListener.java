package dev.herd.desired;

/** Told about every new desired-state snapshot, on the watcher's scan thread; it should return quickly. */
@FunctionalInterface
public interface DesiredStateListener {
    void onChange(DesiredState state);
}
