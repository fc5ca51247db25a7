package dev.herd.reconcile;

import java.util.List;
import java.util.Optional;

/** Where the reconcile loop gets the desired pools from. */
public interface DesiredSource {

    /** The pools to reconcile, or empty while the desired state has not been read once (then nothing is touched). */
    Optional<List<PoolIntent>> current();

    /** Calls {@code listener} after every accepted change. */
    void onChange(Runnable listener);
}
