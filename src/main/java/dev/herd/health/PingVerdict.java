package dev.herd.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The pure rule of ping-based health monitoring, from the original design: a worker idle for
 * {@code pingAfterIdle} gets a ping job on its own queue; no right answer within {@code pingTimeout}
 * is one failure; {@code failureThreshold} failures in a row and it is restarted.
 */
public final class PingVerdict {
    private PingVerdict() {
    }

    /** What Herd knows of one worker's health between checks. */
    public record State(int failures, Optional<Pending> pending, Optional<Instant> lastPingOk, int restarts) {
        public static State fresh() {
            return new State(0, Optional.empty(), Optional.empty(), 0);
        }

        /** Healthy, Idle, Failing n/threshold, Pinging. */
        public String describe(int threshold) {
            if (failures > 0) {
                return "Failing " + failures + "/" + threshold;
            }
            return pending.isPresent() ? "Pinging" : "Healthy";
        }
    }

    /** A ping job sent and not yet judged. */
    public record Pending(String jobId, Instant deadline) {
    }

    /** What the worker's own status says, as read from Redis at this check. */
    public record Observed(Instant lastActive, boolean busy, Optional<String> pingOutput) {
    }

    /** What the monitor does next. */
    public sealed interface Step {
        State state();
    }

    public record Wait(State state) implements Step {
    }

    public record SendPing(State state) implements Step {
    }

    /** The ping was not answered in time; {@code restart} says whether the threshold is reached. */
    public record Failed(State state, String reason, boolean restart) implements Step {
    }

    public record Passed(State state) implements Step {
    }

    public static Step next(State s, Observed o, Duration pingAfterIdle, int threshold, String expectedReply, Instant now) {
        if (s.pending().isPresent()) {
            Pending p = s.pending().get();
            if (o.pingOutput().isPresent()) {
                String out = o.pingOutput().get().strip();
                if (out.equals(expectedReply)) {
                    return new Passed(new State(0, Optional.empty(), Optional.of(now), s.restarts()));
                }
                return fail(s, "answered '" + abbreviate(out) + "' instead of '" + expectedReply + "'", threshold);
            }
            if (!now.isBefore(p.deadline())) {
                return fail(s, "no answer to ping " + p.jobId() + " by " + p.deadline(), threshold);
            }
            return new Wait(s);
        }
        if (o.busy()) {
            return new Wait(s); // a worker with a job in hand is not idle
        }
        Instant idleSince = o.lastActive();
        if (s.lastPingOk().isPresent() && s.lastPingOk().get().isAfter(idleSince)) {
            idleSince = s.lastPingOk().get();
        }
        if (s.failures() > 0 || !now.isBefore(idleSince.plus(pingAfterIdle))) {
            return new SendPing(s); // after a failure, ping again at once: n in a row decides
        }
        return new Wait(s);
    }

    private static Failed fail(State s, String reason, int threshold) {
        int failures = s.failures() + 1;
        boolean restart = failures >= threshold;
        State next = restart ? new State(0, Optional.empty(), Optional.empty(), s.restarts() + 1)
                : new State(failures, Optional.empty(), s.lastPingOk(), s.restarts());
        return new Failed(next, reason + " (" + failures + "/" + threshold + ")", restart);
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
