package dev.herd.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herd.desired.Autoscaling;
import dev.herd.desired.IntOrPercent;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The rules one at a time, as tables: inputs, the count decided, and the rule that decided it. */
class ScalingDeciderTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** min, max, target 5, activation 2, cooldown 30s, windows 0s/0s, tolerance 10%, no steps, fallback 4 after 3. */
    static Autoscaling spec(int min, int max) {
        return new Autoscaling(min, max, 5, 2, Duration.ofSeconds(30), Duration.ZERO, Duration.ZERO, 10,
                Optional.empty(), Optional.empty(), Duration.ofSeconds(15), Optional.of(4), 3);
    }

    static Decision once(Autoscaling spec, long queued, long inFlight, int inForce) {
        return ScalingDecider.decide(spec, new Inputs(new Reading.Measured(queued, inFlight), inForce, inForce, 0),
                ScalingMemory.empty(), T0);
    }

    @ParameterizedTest(name = "min={0} max={1} queued={2} inFlight={3} inForce={4} -> {5} by {6}")
    @CsvSource({
            // the target rule: ceil((queued + inFlight) / 5)
            "0, 10, 12,  0, 1,  3, TARGET",
            "0, 10,  7,  5, 1,  3, TARGET",          // in-flight work counts
            "0, 10,  0, 11, 1,  3, TARGET",
            "0, 10, 500, 0, 0, 10, MAX_REPLICAS",
            "2, 10,  1,  0, 2,  2, MIN_REPLICAS",
            // activation: at zero, 2 jobs or fewer do not wake the pool; 3 do
            "0, 10,  2,  0, 0,  0, ACTIVATION",
            "0, 10,  3,  0, 0,  1, TARGET",
            // tolerance: 4 workers carry 20 jobs; 21 or 22 is within 10%, 23 is not
            "0, 10, 22,  0, 4,  4, TOLERANCE",
            "0, 10, 44,  0, 8,  8, TOLERANCE",
            "0, 10, 26,  0, 4,  6, TARGET",
            // to zero only after the cooldown: the first empty reading keeps one
            "0, 10,  0,  0, 3,  1, COOLDOWN",
            "0, 10,  0,  0, 1,  1, COOLDOWN",
            "1, 10,  0,  0, 3,  1, MIN_REPLICAS",
    })
    void rules(int min, int max, long queued, long inFlight, int inForce, int expected, Rule rule) {
        Decision d = once(spec(min, max), queued, inFlight, inForce);
        assertThat(d.desired()).as(d.explanation()).isEqualTo(expected);
        assertThat(d.rule()).as(d.explanation()).isEqualTo(rule);
    }

    @Test
    void scalesToZeroOnceTheQueueHasBeenEmptyForTheCooldown() {
        Autoscaling spec = spec(0, 10);
        ScalingMemory m = ScalingMemory.empty();
        Decision d = ScalingDecider.decide(spec, measured(0, 0, 1), m, T0);
        assertThat(d.desired()).isEqualTo(1);
        d = ScalingDecider.decide(spec, measured(0, 0, 1), d.memory(), T0.plusSeconds(29));
        assertThat(d.desired()).isEqualTo(1);
        d = ScalingDecider.decide(spec, measured(0, 0, 1), d.memory(), T0.plusSeconds(30));
        assertThat(d.desired()).as(d.explanation()).isZero();
        assertThat(d.explanation()).contains("queued=0 inFlight=0", "desired 0");
    }

    @Test
    void aJobDuringTheCooldownStartsItAfresh() {
        Autoscaling spec = spec(0, 10);
        Decision d = ScalingDecider.decide(spec, measured(0, 0, 1), ScalingMemory.empty(), T0);
        d = ScalingDecider.decide(spec, measured(0, 1, 1), d.memory(), T0.plusSeconds(20));
        d = ScalingDecider.decide(spec, measured(0, 0, 1), d.memory(), T0.plusSeconds(31));
        assertThat(d.desired()).isEqualTo(1);
        assertThat(d.rule()).isEqualTo(Rule.COOLDOWN);
        d = ScalingDecider.decide(spec, measured(0, 0, 1), d.memory(), T0.plusSeconds(61));
        assertThat(d.desired()).isZero();
    }

    @Test
    void aFailedReadingHoldsAndTheFallbackIsAFloorAfterEnoughFailures() {
        Autoscaling spec = spec(0, 10);
        ScalingMemory m = ScalingMemory.empty();
        Decision d = null;
        for (int i = 0; i < 2; i++) {
            d = ScalingDecider.decide(spec, new Inputs(new Reading.Failed("connection refused"), 2, 2, 0), m, T0.plusSeconds(i));
            m = d.memory();
            assertThat(d.desired()).isEqualTo(2);
            assertThat(d.rule()).isEqualTo(Rule.HELD_NO_DATA);
        }
        d = ScalingDecider.decide(spec, new Inputs(new Reading.Failed("connection refused"), 2, 2, 0), m, T0.plusSeconds(2));
        assertThat(d.desired()).isEqualTo(4);
        assertThat(d.rule()).isEqualTo(Rule.FALLBACK);
        assertThat(d.explanation()).contains("connection refused", "3 in a row");
        // above the fallback the count is held: missing data never lowers it
        d = ScalingDecider.decide(spec, new Inputs(new Reading.Failed("timeout"), 7, 7, 0), d.memory(), T0.plusSeconds(3));
        assertThat(d.desired()).isEqualTo(7);
        // a good reading resets the failures
        d = ScalingDecider.decide(spec, measured(30, 5, 7), d.memory(), T0.plusSeconds(4));
        assertThat(d.memory().failures()).isZero();
    }

    @Test
    void theDownWindowKeepsTheHighestRecentRecommendation() {
        Autoscaling spec = withWindows(spec(0, 10), Duration.ZERO, Duration.ofSeconds(60));
        Decision d = ScalingDecider.decide(spec, measured(40, 0, 0), ScalingMemory.empty(), T0);
        assertThat(d.desired()).isEqualTo(8);
        d = ScalingDecider.decide(spec, measured(10, 0, 8), d.memory(), T0.plusSeconds(30));
        assertThat(d.desired()).isEqualTo(8);
        assertThat(d.rule()).isEqualTo(Rule.SCALE_DOWN_WINDOW);
        d = ScalingDecider.decide(spec, measured(10, 0, 8), d.memory(), T0.plusSeconds(61));
        assertThat(d.desired()).isEqualTo(2);
    }

    @Test
    void theUpWindowGrowsOnlyToTheLowestRecentRecommendation() {
        Autoscaling spec = withWindows(spec(0, 10), Duration.ofSeconds(10), Duration.ZERO);
        Decision d = ScalingDecider.decide(spec, measured(10, 0, 2), ScalingMemory.empty(), T0);
        d = ScalingDecider.decide(spec, measured(40, 0, 2), d.memory(), T0.plusSeconds(5));
        assertThat(d.desired()).isEqualTo(2);
        assertThat(d.rule()).isEqualTo(Rule.SCALE_UP_WINDOW);
        d = ScalingDecider.decide(spec, measured(40, 0, 2), d.memory(), T0.plusSeconds(11));
        assertThat(d.desired()).isEqualTo(8);
    }

    @Test
    void stepLimitsCountFromTheStartOfThePeriod() {
        Autoscaling base = spec(0, 20);
        Autoscaling spec = new Autoscaling(0, 20, 5, 0, base.cooldown(), Duration.ZERO, Duration.ZERO, 10,
                Optional.of(new IntOrPercent.Count(4)), Optional.of(new IntOrPercent.Percent(50)), Duration.ofSeconds(15),
                Optional.empty(), 3);
        Decision d = ScalingDecider.decide(spec, measured(100, 0, 2), ScalingMemory.empty(), T0);
        assertThat(d.desired()).isEqualTo(6);
        assertThat(d.rule()).isEqualTo(Rule.SCALE_UP_STEP);
        d = ScalingDecider.decide(spec, measured(100, 0, 6), d.memory(), T0.plusSeconds(5));
        assertThat(d.desired()).as("4 already added in this period").isEqualTo(6);
        d = ScalingDecider.decide(spec, measured(100, 0, 6), d.memory(), T0.plusSeconds(15));
        assertThat(d.desired()).isEqualTo(10);
        d = ScalingDecider.decide(spec, measured(0, 5, 10), d.memory(), T0.plusSeconds(31));
        assertThat(d.desired()).as("half of 10 per period").isEqualTo(5);
        assertThat(d.rule()).isEqualTo(Rule.SCALE_DOWN_STEP);
    }

    @Test
    void workersStillStartingCountAsCapacity() {
        Autoscaling spec = spec(0, 10);
        Decision d = ScalingDecider.decide(spec, new Inputs(new Reading.Measured(30, 0), 6, 0, 6), ScalingMemory.empty(), T0);
        assertThat(d.desired()).isEqualTo(6);
        assertThat(d.changed()).isFalse();
        assertThat(d.explanation()).contains("ready=0 starting=6");
    }

    static Inputs measured(long queued, long inFlight, int inForce) {
        return new Inputs(new Reading.Measured(queued, inFlight), inForce, inForce, 0);
    }

    static Autoscaling withWindows(Autoscaling a, Duration up, Duration down) {
        return new Autoscaling(a.minReplicas(), a.maxReplicas(), a.targetQueueLengthPerReplica(), a.activationQueueLength(),
                a.cooldown(), up, down, a.tolerancePercent(), a.maxScaleUpStep(), a.maxScaleDownStep(), a.stepPeriod(),
                a.fallbackReplicas(), a.fallbackAfterFailures());
    }
}
