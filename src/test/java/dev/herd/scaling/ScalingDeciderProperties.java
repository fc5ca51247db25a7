package dev.herd.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herd.desired.Autoscaling;
import dev.herd.desired.IntOrPercent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The decider driven through random specs and random sequences of readings (one a second, some
 * failed), with the count it decides fed back in as the count in force, as the shell does.
 */
class ScalingDeciderProperties {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** One tick of a run: what was read, and what was decided. */
    record Step(Instant at, Reading reading, Decision decision) {
    }

    static List<Step> run(Autoscaling spec, int start, List<Reading> readings) {
        List<Step> steps = new ArrayList<>();
        ScalingMemory memory = ScalingMemory.empty();
        int inForce = start;
        for (int i = 0; i < readings.size(); i++) {
            Instant at = T0.plusSeconds(i);
            Decision d = ScalingDecider.decide(spec, new Inputs(readings.get(i), inForce, inForce, 0), memory, at);
            steps.add(new Step(at, readings.get(i), d));
            memory = d.memory();
            inForce = d.desired();
        }
        return steps;
    }

    @Property(tries = 500)
    void neverOutsideTheBounds(@ForAll("specs") Autoscaling spec, @ForAll("readings") List<Reading> readings,
                               @ForAll @IntRange(max = 30) int start) {
        for (Step s : run(spec, start, readings)) {
            assertThat(s.decision().desired()).as(s.decision().explanation())
                    .isBetween(spec.minReplicas(), spec.maxReplicas());
        }
    }

    @Property(tries = 500)
    void neverDownOnAFailedReading(@ForAll("specs") Autoscaling spec, @ForAll("readings") List<Reading> readings) {
        for (Step s : run(spec, spec.minReplicas(), readings)) {
            if (s.reading() instanceof Reading.Failed) {
                assertThat(s.decision().desired()).as(s.decision().explanation()).isGreaterThanOrEqualTo(s.decision().from());
            }
        }
    }

    @Property(tries = 500)
    void toZeroOnlyAfterTheQueueWasEmptyForTheCooldown(@ForAll("specs") Autoscaling spec, @ForAll("readings") List<Reading> readings) {
        List<Step> steps = run(spec, spec.minReplicas(), readings);
        for (int i = 0; i < steps.size(); i++) {
            Decision d = steps.get(i).decision();
            if (d.desired() == 0 && d.from() > 0) {
                Instant since = steps.get(i).at().minus(spec.cooldown());
                for (Step earlier : steps.subList(0, i + 1)) {
                    if (!earlier.at().isBefore(since)) {
                        assertThat(earlier.reading()).as("readings within the cooldown before scaling to zero")
                                .isEqualTo(new Reading.Measured(0, 0));
                    }
                }
                assertThat(steps.get(i).at()).isAfterOrEqualTo(T0.plus(spec.cooldown()));
            }
        }
    }

    @Property(tries = 500)
    void aPoolAtZeroWakesOnlyAboveTheActivationLength(@ForAll("specs") Autoscaling spec, @ForAll("readings") List<Reading> readings) {
        for (Step s : run(spec, spec.minReplicas(), readings)) {
            if (s.decision().from() == 0 && s.decision().desired() > 0 && s.reading() instanceof Reading.Measured m) {
                assertThat(m.work()).isGreaterThan(spec.activationQueueLength());
            }
        }
    }

    /** Growing never goes past what the current reading asks for (no overshoot), nor past the window's lowest. */
    @Property(tries = 500)
    void growingNeverOvershootsTheWork(@ForAll("specs") Autoscaling spec, @ForAll("readings") List<Reading> readings) {
        for (Step s : run(spec, spec.minReplicas(), readings)) {
            Decision d = s.decision();
            if (d.desired() > d.from() && s.reading() instanceof Reading.Measured m) {
                long needed = (m.work() + spec.targetQueueLengthPerReplica() - 1) / spec.targetQueueLengthPerReplica();
                assertThat(d.desired()).as(d.explanation()).isLessThanOrEqualTo((int) Math.max(spec.minReplicas(), needed));
            }
        }
    }

    /**
     * The windows as the HPA defines them: a decrease at t goes no lower than any recommendation in
     * the down window before t; an increase goes no higher than any recommendation in the up window.
     */
    @Property(tries = 500)
    void changesStayWithinTheStabilizationWindows(@ForAll("specs") Autoscaling spec, @ForAll("readings") List<Reading> readings) {
        List<Step> steps = run(spec, spec.minReplicas(), readings);
        for (int i = 0; i < steps.size(); i++) {
            Decision d = steps.get(i).decision();
            Instant at = steps.get(i).at();
            if (steps.get(i).reading() instanceof Reading.Failed) {
                continue; // the fallback floor is not a recommendation
            }
            for (Step earlier : steps.subList(0, i + 1)) {
                if (!(earlier.reading() instanceof Reading.Measured)) {
                    continue;
                }
                int rec = earlier.decision().recommended();
                if (d.desired() < d.from() && !earlier.at().isBefore(at.minus(spec.scaleDownStabilization()))) {
                    assertThat(d.desired()).as(d.explanation()).isGreaterThanOrEqualTo(Math.min(rec, d.from()));
                }
                if (d.desired() > d.from() && !earlier.at().isBefore(at.minus(spec.scaleUpStabilization()))) {
                    assertThat(d.desired()).as(d.explanation()).isLessThanOrEqualTo(Math.max(rec, d.from()));
                }
            }
        }
    }

    /**
     * At every change, the period ending there holds no more added (or removed) workers than the step
     * allows from the count at the period's start (the HPA's contract). The fallback is an emergency
     * floor and is not step-limited: periods with a failed reading are left out.
     */
    @Property(tries = 500)
    void stepLimitsHoldOverEveryPeriod(@ForAll("specs") Autoscaling spec, @ForAll("readings") List<Reading> readings) {
        List<Step> steps = run(spec, spec.minReplicas(), readings);
        long period = spec.stepPeriod().toSeconds();
        for (int end = 0; end < steps.size(); end++) {
            int start = (int) Math.max(0, end - period + 1);
            int startCount = steps.get(start).decision().from();
            int added = 0;
            int removed = 0;
            if (steps.subList(start, end + 1).stream().anyMatch(s -> s.reading() instanceof Reading.Failed)) {
                continue;
            }
            for (Step s : steps.subList(start, end + 1)) {
                added += Math.max(0, s.decision().desired() - s.decision().from());
                removed += Math.max(0, s.decision().from() - s.decision().desired());
            }
            Decision last = steps.get(end).decision();
            if (spec.maxScaleUpStep().isPresent() && last.desired() > last.from()) {
                int allowed = ScalingDecider.allowance(spec.maxScaleUpStep().get(), startCount);
                assertThat(added - removed).as("net added in the period ending at " + end).isLessThanOrEqualTo(allowed);
            }
            if (spec.maxScaleDownStep().isPresent() && last.desired() < last.from()) {
                int allowed = ScalingDecider.allowance(spec.maxScaleDownStep().get(), startCount);
                assertThat(removed - added).as("net removed in the period ending at " + end).isLessThanOrEqualTo(allowed);
            }
        }
    }

    /**
     * A load oscillating around a threshold faster than the down window: after the first rise the
     * count never falls while the oscillation lasts, so it changes at most once per direction.
     */
    @Property(tries = 300)
    void anOscillatingLoadDoesNotFlap(@ForAll @IntRange(min = 2, max = 9) int halfPeriod,
                                      @ForAll @IntRange(min = 1, max = 8) int target,
                                      @ForAll @IntRange(min = 1, max = 5) int low) {
        Autoscaling spec = new Autoscaling(0, 50, target, 0, Duration.ofSeconds(30), Duration.ZERO, Duration.ofSeconds(20), 10,
                Optional.empty(), Optional.empty(), Duration.ofSeconds(15), Optional.empty(), 3);
        List<Reading> readings = new ArrayList<>();
        for (int t = 0; t < 120; t++) {
            boolean high = (t / halfPeriod) % 2 == 0;
            readings.add(new Reading.Measured((long) target * (high ? low + 1 : low) + 1, 0));
        }
        List<Step> steps = run(spec, 0, readings);
        long changes = steps.stream().filter(s -> s.decision().changed()).count();
        long downs = steps.stream().filter(s -> s.decision().desired() < s.decision().from()).count();
        assertThat(downs).as("decreases while oscillating within the 20s window").isZero();
        assertThat(changes).as("changes").isLessThanOrEqualTo(1);
    }

    @Provide
    Arbitrary<Autoscaling> specs() {
        Arbitrary<Integer> min = Arbitraries.integers().between(0, 3);
        Arbitrary<Integer> span = Arbitraries.integers().between(0, 12);
        Arbitrary<Integer> target = Arbitraries.integers().between(1, 10);
        Arbitrary<Integer> activation = Arbitraries.integers().between(0, 5);
        Arbitrary<Duration> seconds = Arbitraries.integers().between(0, 40).map(Duration::ofSeconds);
        Arbitrary<Integer> tolerance = Arbitraries.integers().between(0, 30);
        Arbitrary<Optional<IntOrPercent>> step = Arbitraries.oneOf(
                Arbitraries.just(Optional.<IntOrPercent>empty()),
                Arbitraries.integers().between(1, 5).map(n -> Optional.<IntOrPercent>of(new IntOrPercent.Count(n))),
                Arbitraries.integers().between(1, 100).map(n -> Optional.<IntOrPercent>of(new IntOrPercent.Percent(n))));
        Arbitrary<Duration> period = Arbitraries.integers().between(1, 20).map(Duration::ofSeconds);
        Arbitrary<Optional<Integer>> fallback = Arbitraries.integers().between(0, 15).optional();
        Arbitrary<Integer> after = Arbitraries.integers().between(1, 4);
        return Combinators.combine(min, span, target, activation, seconds, seconds, seconds, tolerance)
                .flatAs((mn, sp, tg, ac, cd, up, down, tol) -> Combinators.combine(step, step, period, fallback, after)
                        .as((su, sd, per, fb, af) -> new Autoscaling(mn, mn + Math.max(1, sp), tg, ac, cd, up, down, tol,
                                su, sd, per, fb, af)));
    }

    @Provide
    Arbitrary<List<Reading>> readings() {
        Arbitrary<Reading> measured = Combinators.combine(
                        Arbitraries.longs().between(0, 80).edgeCases(e -> e.add(0L)),
                        Arbitraries.longs().between(0, 20).edgeCases(e -> e.add(0L)))
                .as(Reading.Measured::new);
        Arbitrary<Reading> empty = Arbitraries.just(new Reading.Measured(0, 0));
        Arbitrary<Reading> failed = Arbitraries.just(new Reading.Failed("connection refused"));
        Arbitrary<Reading> one = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, measured), net.jqwik.api.Tuple.of(3, empty), net.jqwik.api.Tuple.of(1, failed));
        // runs of the same reading, so windows and cooldowns actually elapse
        Arbitrary<List<Reading>> run = Combinators.combine(one, Arbitraries.integers().between(1, 40))
                .as((r, n) -> java.util.Collections.nCopies(n, r));
        return run.list().ofMinSize(1).ofMaxSize(8).map(runs -> runs.stream().flatMap(List::stream).toList());
    }
}
