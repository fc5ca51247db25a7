package dev.herd.zinit;

import dev.herd.zinit.ServiceStatus;
import dev.herd.zinit.ZinitException;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Stop and wait until stopped (no Zinit dialect has a stop that waits): ask it to stop, read the status until no process runs and the target is Down, send SIGKILL if that takes
 * longer than the grace, and wait a little more. Nothing blocks: the waits are timers.
 */
public final class GracefulStop {
    /** How often the status is read while waiting; Zinit reaps a process within milliseconds. */
    private static final Duration POLL = Duration.ofMillis(100);
    /** How long a SIGKILLed process may take to be reaped before the stop counts as failed. */
    private static final Duration AFTER_KILL = Duration.ofSeconds(5);


    private GracefulStop() {
    }

    /** Fails with ServiceNotFound when Zinit does not know the service. */
    public static Uni<Void> stop(ZinitClient calls, String name, Duration grace) {
        return calls.stop(name)
                // Some releases refuse to stop what is already down: that is stopped.
                .onFailure(ZinitException.WrongState.class).recoverWithNull()
                .chain(() -> stopped(calls, name, grace))
                .chain(stopped -> stopped ? Uni.createFrom().voidItem() : killAndWait(calls, name, grace));
    }

    private static Uni<Void> killAndWait(ZinitClient calls, String name, Duration grace) {
        return calls.kill(name, "SIGKILL")
                .onFailure(ZinitException.WrongState.class).recoverWithNull()
                .chain(() -> stopped(calls, name, AFTER_KILL))
                .chain(dead -> dead ? Uni.createFrom().voidItem() : Uni.createFrom().failure(
                        new ZinitException.Timeout("a stop of '" + name + "' (its process outlived SIGKILL)", grace.plus(AFTER_KILL))));
    }

    /** True once no process runs and Zinit does not mean to start one (or forgot the service), false after {@code within}. */
    public static Uni<Boolean> stopped(ZinitClient calls, String name, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        return until(() -> calls.status(name).map(Optional::of)
                        .onFailure(ZinitException.ServiceNotFound.class).recoverWithItem(Optional.empty()),
                s -> s.isEmpty() || isStopped(s.get()), deadline);
    }

    /** No process runs and Zinit does not mean to start one. */
    public static boolean isStopped(ServiceStatus s) {
        return s.pid() == 0 && s.target() != ServiceStatus.Target.UP;
    }

    private static <T> Uni<Boolean> until(Supplier<Uni<T>> probe, Predicate<T> done, long deadlineNanos) {
        return Uni.createFrom().deferred(() -> probe.get()).chain(value -> {
            if (done.test(value)) {
                return Uni.createFrom().item(true);
            }
            if (System.nanoTime() >= deadlineNanos) {
                return Uni.createFrom().item(false);
            }
            return Uni.createFrom().voidItem().onItem().delayIt().by(POLL).chain(() -> until(probe, done, deadlineNanos));
        });
    }
}
