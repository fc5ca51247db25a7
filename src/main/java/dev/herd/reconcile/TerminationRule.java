package dev.herd.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a terminating worker counts as gone, and what to do meanwhile: a pure function of the worker,
 * what was done so far and what is seen now; the {@link Terminator} gathers the facts and carries
 * out the steps. Where Zinit's pids are this host's, the process groups decide, not Zinit's state:
 * Zinit counts a worker exited as soon as its {@code sh -c} wrapper dies (hazard 7), and shows a
 * service whose exit it lost as Stopping for ever.
 */
final class TerminationRule {
    /** How long after Zinit answered the stop the worker's group may still run before Herd sends the stop signal itself. */
    static final Duration SIGNAL_CHECK = Duration.ofMillis(500);
    /** How long a SIGKILLed worker may take to be reaped before it counts as gone anyway (its delete removes what is left). */
    static final Duration AFTER_KILL = Duration.ofSeconds(5);

    private TerminationRule() {
    }

    /**
     * What was done so far for one worker.
     *
     * @param stopAnswered  when Zinit answered the stop (it has signalled by then, if it could)
     * @param signalChecked whether Herd already looked once for a group Zinit's signal did not reach
     * @param killedAt      when SIGKILL was sent
     */
    record Progress(Optional<Instant> stopAnswered, boolean signalChecked, Optional<Instant> killedAt) {
        static Progress begun() {
            return new Progress(Optional.empty(), false, Optional.empty());
        }

        Progress answered(Instant at) {
            return new Progress(Optional.of(at), signalChecked, killedAt);
        }

        Progress checked() {
            return new Progress(stopAnswered, true, killedAt);
        }

        Progress killed(Instant at) {
            return new Progress(stopAnswered, signalChecked, Optional.of(at));
        }
    }

    /**
     * What is seen now.
     *
     * @param listed         Zinit still lists the service
     * @param zinitStopped   Zinit shows no process and does not mean to start one
     * @param localPids      Zinit's pids are this host's: the process groups below were looked at
     * @param groupRuns      a process of the group noted when the stop was sent still runs
     * @param shownGroupRuns a process of the group of the pid Zinit shows now (if it is this worker's) runs
     */
    record Facts(boolean listed, boolean zinitStopped, boolean localPids, boolean groupRuns, boolean shownGroupRuns) {
    }

    /**
     * @param exited     gone, and how it ended (for the events)
     * @param checkGroup look for a group Zinit's signal missed now: send the stop signal to it if it runs
     * @param kill       SIGKILL the worker now
     */
    record Decision(Optional<String> exited, boolean checkGroup, boolean kill) {
        static final Decision WAIT = new Decision(Optional.empty(), false, false);
    }

    static Decision decide(Terminating t, Progress p, Facts f, Instant now) {
        boolean gone = f.localPids() ? !f.groupRuns() && !f.shownGroupRuns() : f.zinitStopped();
        if (gone) {
            long tookMs = Duration.between(t.since(), now).toMillis();
            return new Decision(Optional.of(p.killedAt().isPresent() ? "SIGKILLed after its shutdownTimeout"
                    : !f.listed() ? "its service was gone"
                    : "stopped after " + tookMs + " ms" + (f.zinitStopped() ? "" : " (Zinit missed the exit)")), false, false);
        }
        // any member left, not only the wrapper: Zinit may have signalled only a wrapper already gone
        boolean checkGroup = f.localPids() && !p.signalChecked()
                && p.stopAnswered().map(at -> !now.isBefore(at.plus(SIGNAL_CHECK))).orElse(false);
        if (p.killedAt().isEmpty()) {
            return new Decision(Optional.empty(), checkGroup, !now.isBefore(t.deadline()));
        }
        if (!now.isBefore(p.killedAt().get().plus(AFTER_KILL))) {
            return new Decision(Optional.of("still running " + AFTER_KILL.toSeconds() + " s after SIGKILL"
                    + (f.zinitStopped() ? "" : " as far as Zinit knows") + "; the delete removes what is left"), false, false);
        }
        return new Decision(Optional.empty(), checkGroup, false);
    }
}
