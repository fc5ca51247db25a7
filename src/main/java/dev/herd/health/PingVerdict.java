package dev.herd.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The pure rule of ping-based health monitoring, from the original design: a worker idle for
 * {@code pingAfterIdle} gets a ping job on its own queue; no right answer within {@code pingTimeout}
 * is one failure; {@code failureThreshold} failures in a row and it is restarted. No clock, no I/O:
 * the monitor passes {@code now} and what it read.
 */
public final class PingVerdict {
    private PingVerdict() {
    }

    /**
     * How one pool's workers are judged.
     *
     * @param pingAfterIdle idle time before a ping
     * @param pingTimeout   time a ping has to be answered, counted while the worker has nothing else in hand
     * @param threshold     failures in a row before a restart
     * @param expectedReply the ping job's output from a healthy worker
     */
    public record Policy(Duration pingAfterIdle, Duration pingTimeout, int threshold, String expectedReply) {
    }

    /**
     * What Herd knows of one worker's health between checks.
     *
     * @param failures    failed pings in a row
     * @param pending     the ping sent and not judged yet
     * @param lastPingOk  when a ping was last answered right
     * @param lastRestart when Herd last restarted the worker (its idle time starts again then)
     * @param restarts    restarts Herd made for failed pings
     */
    public record State(int failures, Optional<Pending> pending, Optional<Instant> lastPingOk, Optional<Instant> lastRestart,
                        int restarts) {
        public static State fresh() {
            return new State(0, Optional.empty(), Optional.empty(), Optional.empty(), 0);
        }

        /** The state once ping {@code jobId} has been sent at {@code now}. */
        public State pinging(String jobId, Instant now, Policy policy) {
            return new State(failures, Optional.of(new Pending(jobId, now.plus(policy.pingTimeout()))), lastPingOk, lastRestart, restarts);
        }

        /** Healthy, Pinging, or Failing n/threshold. */
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

    /**
     * What the worker's own status says, as read from Redis at this check.
     *
     * @param lastActive when it last started or finished a job, or started itself
     * @param busyWith   the job it has in hand (and is still beating for), if any
     * @param pingOutput the pending ping's output, once the worker wrote one
     * @param pingVanished the pending ping's record is gone from Redis (it lost its data): nobody can answer it
     */
    public record Observed(Instant lastActive, Optional<String> busyWith, Optional<String> pingOutput, boolean pingVanished) {
        public Observed(Instant lastActive, Optional<String> busyWith, Optional<String> pingOutput) {
            this(lastActive, busyWith, pingOutput, false);
        }
    }

    /** What the monitor does next. */
    public sealed interface Step {
        State state();
    }

    public record Wait(State state) implements Step {
    }

    /** Send a ping to the worker's own queue, then record it with {@link State#pinging}. */
    public record SendPing(State state) implements Step {
    }

    /** The ping was not answered right in time; {@code restart} says whether the threshold is reached. */
    public record Failed(State state, String reason, boolean restart) implements Step {
    }

    public record Passed(State state) implements Step {
    }

    public static Step next(State s, Observed o, Policy policy, Instant now) {
        if (s.pending().isPresent()) {
            return judge(s, s.pending().get(), o, policy, now);
        }
        if (o.busyWith().isPresent()) {
            return new Wait(s); // a worker with a job in hand is not idle
        }
        Instant idleSince = latest(o.lastActive(), s.lastPingOk(), s.lastRestart());
        if (s.failures() > 0 || !now.isBefore(idleSince.plus(policy.pingAfterIdle()))) {
            return new SendPing(s); // after a failure, ping again at once: n in a row decides
        }
        return new Wait(s);
    }

    private static Step judge(State s, Pending p, Observed o, Policy policy, Instant now) {
        if (o.pingVanished() && o.pingOutput().isEmpty()) {
            // not the worker's silence: Redis forgot the ping. Ask again, and count nothing against the worker
            return new SendPing(new State(s.failures(), Optional.empty(), s.lastPingOk(), s.lastRestart(), s.restarts()));
        }
        if (o.pingOutput().isPresent()) {
            String out = o.pingOutput().get().strip();
            if (out.equals(policy.expectedReply())) {
                return new Passed(new State(0, Optional.empty(), Optional.of(now), s.lastRestart(), s.restarts()));
            }
            return fail(s, "answered '" + abbreviate(out) + "' instead of '" + policy.expectedReply() + "'", policy.threshold(), now);
        }
        if (o.busyWith().isPresent() && !o.busyWith().get().equals(p.jobId())) {
            // the ping waits behind a job the worker took just before it: its time starts when that job ends
            Pending later = new Pending(p.jobId(), now.plus(policy.pingTimeout()));
            return new Wait(new State(s.failures(), Optional.of(later), s.lastPingOk(), s.lastRestart(), s.restarts()));
        }
        if (!now.isBefore(p.deadline())) {
            return fail(s, "no answer to ping " + p.jobId() + " by " + p.deadline(), policy.threshold(), now);
        }
        return new Wait(s);
    }

    private static Failed fail(State s, String reason, int threshold, Instant now) {
        int failures = s.failures() + 1;
        boolean restart = failures >= threshold;
        State next = restart ? new State(0, Optional.empty(), s.lastPingOk(), Optional.of(now), s.restarts() + 1)
                : new State(failures, Optional.empty(), s.lastPingOk(), s.lastRestart(), s.restarts());
        return new Failed(next, reason + " (" + failures + "/" + threshold + ")", restart);
    }

    @SafeVarargs
    private static Instant latest(Instant first, Optional<Instant>... others) {
        Instant out = first;
        for (Optional<Instant> o : others) {
            if (o.isPresent() && o.get().isAfter(out)) {
                out = o.get();
            }
        }
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
