package dev.herd.zinit;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;

/**
 * One Zinit, whatever dialect it speaks. Every call is non-blocking, has a timeout, and fails with a
 * {@link ZinitException}. Continuations may run on the transport's reader thread: never block in them.
 */
public interface ZinitClient extends AutoCloseable {

    /** Which protocol this client speaks, e.g. "v0.3". */
    String dialect();

    /** Server version, or what the dialect can tell about it. Also proves the socket answers. */
    Uni<String> ping();

    /** Every service Zinit knows, with its state, in one round trip where the dialect allows. */
    Uni<List<ServiceStatus>> list();

    Uni<ServiceStatus> status(String name);

    /** The environment the service was created with (used to read Herd's ownership labels). */
    Uni<java.util.Map<String, String>> env(String name);

    /** Creates the service and starts it; fails with AlreadyExists when the name is taken. */
    Uni<Void> create(ServiceSpec spec);

    /**
     * Whether deleting a service moves another one into its slot, {@link #list()} giving the slot
     * order (Zinit 0.3.9, docs/zinit-protocol.md "delete shifts identities").
     */
    default boolean deleteMovesServices() {
        return false;
    }

    /** Stops the service if it runs, then forgets it and removes its file. Missing is not an error. */
    Uni<Void> delete(String name);

    /**
     * As {@link #delete}, for a service the caller saw stopped (its process gone): without looking
     * first, where the dialect can. One that runs after all is stopped by the delete itself, which
     * takes longer (Zinit 0.3.9: 5 s).
     */
    default Uni<Void> deleteStopped(String name) {
        return delete(name);
    }

    Uni<Void> start(String name);

    Uni<Void> stop(String name);

    /**
     * Stops the service and waits, without blocking, until no process runs: SIGKILL after
     * {@code grace}. Fails with ServiceNotFound when Zinit does not know it.
     */
    default Uni<Void> stopAndWait(String name, Duration grace) {
        return GracefulStop.stop(this, name, grace);
    }

    Uni<Void> restart(String name);

    /** Sends a signal (e.g. "SIGTERM") to the service's process. */
    Uni<Void> kill(String name, String signal);

    /** The last {@code lines} lines of the service's output. */
    Uni<List<LogLine>> logs(String name, int lines);

    /** Output lines as they come, until cancelled (starting with the lines already kept). */
    default Multi<LogLine> follow(String name) {
        return follow(name, Integer.MAX_VALUE);
    }

    /** The last {@code backlog} lines already written (0 for none), then output lines as they come, until cancelled. */
    Multi<LogLine> follow(String name, int backlog);

    Uni<ServiceStats> stats(String name);

    @Override
    void close();
}
