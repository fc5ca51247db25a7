package dev.herd.scaling;

import dev.herd.desired.Autoscaling;
import dev.herd.desired.IntOrPercent;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The scaling rule, as a pure function of (spec, inputs, memory, now): no clock, no I/O, so every
 * rule is tested with plain values. In order:
 * <ol>
 *   <li>a failed reading holds the count in force (never lower on missing data); after
 *       {@code fallbackAfterFailures} failures in a row, {@code fallbackReplicas} is a floor;</li>
 *   <li>recommended = ceil((queued + inFlight) / targetQueueLengthPerReplica), clamped to [min, max];</li>
 *   <li>a pool at zero stays at zero while the work is at most {@code activationQueueLength};</li>
 *   <li>no change when the work is within the tolerance band of what the count in force carries;</li>
 *   <li>from one worker to zero only once the queue (and every worker's hand) has been empty for
 *       {@code cooldown};</li>
 *   <li>stabilization as the HPA's: grow only to the lowest recommendation of the scale-up window,
 *       shrink only to the highest of the scale-down window;</li>
 *   <li>step limits: at most {@code maxScaleUpStep} added / {@code maxScaleDownStep} removed per
 *       {@code stepPeriod}, counted from the count at the start of the period.</li>
 * </ol>
 * The count in force includes workers still starting, so a burst is answered once, not again while
 * the first answer boots; the target rule counts work, not per-worker averages of running workers,
 * so a worker that is not up yet never makes the pool look under-provisioned.
 */
public final class ScalingDecider {
    private ScalingDecider() {
    }

    public static Decision decide(Autoscaling spec, Inputs in, ScalingMemory memory, Instant now) {
        // Java 17: no pattern switch yet; Reading is sealed, so these two cases are all there are
        if (in.reading() instanceof Reading.Measured m) {
            return measured(spec, in, m, memory, now);
        }
        return blind(spec, in, (Reading.Failed) in.reading(), memory, now);
    }

    private static Decision blind(Autoscaling spec, Inputs in, Reading.Failed failed, ScalingMemory memory, Instant now) {
        ScalingMemory next = memory.failed();
        int held = clamp(in.inForce(), spec);
        int desired = held;
        Rule rule = bound(in.inForce(), held, Rule.HELD_NO_DATA);
        String fallback = "";
        if (spec.fallbackReplicas().isPresent()) {
            int floor = clamp(spec.fallbackReplicas().get(), spec);
            if (next.failures() >= spec.fallbackAfterFailures() && floor > held) {
                desired = floor;
                rule = Rule.FALLBACK;
            }
            fallback = "; fallback " + floor + " after " + spec.fallbackAfterFailures() + " failures";
        }
        next = next.changed(now, in.inForce(), desired, spec.stepPeriod());
        String why = "reading failed (" + failed.reason() + "), " + next.failures() + " in a row" + fallback
                + "; ready=" + in.ready() + " starting=" + in.starting() + " inForce=" + in.inForce()
                + " -> desired " + desired + " (" + rule.text() + ")";
        return new Decision(in.inForce(), desired, held, rule, why, next);
    }

    private static Decision measured(Autoscaling spec, Inputs in, Reading.Measured m, ScalingMemory memory, Instant now) {
        int base = in.inForce();
        long work = m.work();
        int target = Math.max(1, spec.targetQueueLengthPerReplica());
        long raw = (work + target - 1) / target;
        int rec = (int) Math.max(spec.minReplicas(), Math.min(spec.maxReplicas(), raw));
        Rule rule = raw < spec.minReplicas() ? Rule.MIN_REPLICAS : raw > spec.maxReplicas() ? Rule.MAX_REPLICAS : Rule.TARGET;

        if (base == 0 && rec > 0 && spec.minReplicas() == 0 && work <= spec.activationQueueLength()) {
            rec = 0;
            rule = Rule.ACTIVATION;
        } else if (rec != base && base >= Math.max(1, spec.minReplicas()) && base <= spec.maxReplicas()
                && withinTolerance(work, target, base, spec.tolerancePercent())) {
            rec = base;
            rule = Rule.TOLERANCE;
        }
        ScalingMemory next = memory.measured(now, work == 0);
        if (rec == 0 && base > 0 && !cooledDown(next.emptySince(), spec.cooldown(), now)) {
            rec = 1;
            rule = Rule.COOLDOWN;
        }
        Duration keep = spec.scaleUpStabilization().compareTo(spec.scaleDownStabilization()) > 0
                ? spec.scaleUpStabilization() : spec.scaleDownStabilization();
        next = next.recommend(now, rec, keep);

        int stabilized = stabilize(base, next, spec, now);
        int desired = stabilized;
        Rule decidedBy = stabilized == rec ? rule : stabilized < rec ? Rule.SCALE_UP_WINDOW : Rule.SCALE_DOWN_WINDOW;
        int stepped = step(base, desired, next, spec, now);
        if (stepped != desired) {
            decidedBy = desired > base ? Rule.SCALE_UP_STEP : Rule.SCALE_DOWN_STEP;
            desired = stepped;
        }
        int bounded = clamp(desired, spec);
        if (bounded != desired) {
            decidedBy = bounded == spec.minReplicas() ? Rule.MIN_REPLICAS : Rule.MAX_REPLICAS;
            desired = bounded;
        }
        next = next.changed(now, base, desired, spec.stepPeriod());
        String why = "queued=" + m.queued() + " inFlight=" + m.inFlight() + " ready=" + in.ready() + " starting="
                + in.starting() + " inForce=" + base + " target=" + target + "/replica -> recommended " + rec
                + " (" + rule.text() + "), desired " + desired + " (" + decidedBy.text() + ")";
        return new Decision(base, desired, rec, decidedBy, why, next);
    }

    /** The HPA's rule: up to the lowest recommendation in the up window, down to the highest in the down window. */
    private static int stabilize(int base, ScalingMemory memory, Autoscaling spec, Instant now) {
        Instant upCutoff = now.minus(spec.scaleUpStabilization());
        Instant downCutoff = now.minus(spec.scaleDownStabilization());
        int up = Integer.MAX_VALUE;
        int down = Integer.MIN_VALUE;
        for (ScalingMemory.Recommendation r : memory.recommendations()) {
            if (!r.at().isBefore(upCutoff)) {
                up = Math.min(up, r.replicas());
            }
            if (!r.at().isBefore(downCutoff)) {
                down = Math.max(down, r.replicas());
            }
        }
        int out = base;
        if (out < up) {
            out = up;
        }
        if (out > down) {
            out = down;
        }
        return out;
    }

    /** Bounds a change by the step limits, counted from the count at the start of the period (as the HPA's policies). */
    private static int step(int base, int desired, ScalingMemory memory, Autoscaling spec, Instant now) {
        Instant cutoff = now.minus(spec.stepPeriod());
        int added = 0;
        int removed = 0;
        for (ScalingMemory.Change c : memory.changes()) {
            if (c.at().isAfter(cutoff)) {
                added += Math.max(0, c.to() - c.from());
                removed += Math.max(0, c.from() - c.to());
            }
        }
        if (desired > base && spec.maxScaleUpStep().isPresent()) {
            int periodStart = Math.max(0, base - added + removed);
            int limit = periodStart + allowance(spec.maxScaleUpStep().get(), periodStart);
            return Math.max(base, Math.min(desired, limit));
        }
        if (desired < base && spec.maxScaleDownStep().isPresent()) {
            int periodStart = base + removed - added;
            int limit = periodStart - allowance(spec.maxScaleDownStep().get(), periodStart);
            return Math.min(base, Math.max(desired, limit));
        }
        return desired;
    }

    /** A count as written; a percentage of the period's start, but at least one so a pool can always move. */
    static int allowance(IntOrPercent step, int periodStart) {
        if (step instanceof IntOrPercent.Percent p) {
            return p.value() == 0 ? 0 : Math.max(1, p.resolve(periodStart, true));
        }
        return step.resolve(periodStart, true);
    }

    private static boolean withinTolerance(long work, int target, int base, int tolerancePercent) {
        long carried = (long) target * base;
        return Math.abs(work - carried) * 100 <= (long) tolerancePercent * carried;
    }

    private static boolean cooledDown(Optional<Instant> emptySince, Duration cooldown, Instant now) {
        return emptySince.map(since -> !now.isBefore(since.plus(cooldown))).orElse(false);
    }

    private static int clamp(int n, Autoscaling spec) {
        return Math.max(spec.minReplicas(), Math.min(spec.maxReplicas(), n));
    }

    private static Rule bound(int before, int after, Rule otherwise) {
        return after == before ? otherwise : after < before ? Rule.MAX_REPLICAS : Rule.MIN_REPLICAS;
    }
}
