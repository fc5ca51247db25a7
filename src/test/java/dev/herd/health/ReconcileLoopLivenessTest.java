package dev.herd.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The liveness rule: a loop that has not ended a pass for longer than a pass may take is stuck. */
class ReconcileLoopLivenessTest {
    private static final Instant START = Instant.parse("2026-11-30T00:00:00Z");
    private static final Duration ALLOWED = Duration.ofSeconds(123); // pass timeout 120 s + 3 intervals of 1 s

    @Test
    void aLoopThatKeepsEndingPassesIsAlive() {
        assertThat(ReconcileLoopLiveness.alive(Optional.of(START.plusSeconds(500)), START, START.plusSeconds(501), ALLOWED)).isTrue();
        assertThat(ReconcileLoopLiveness.alive(Optional.of(START.plusSeconds(500)), START, START.plusSeconds(623), ALLOWED)).isTrue();
    }

    @Test
    void aLoopStuckLongerThanAPassMayTakeIsNot() {
        assertThat(ReconcileLoopLiveness.alive(Optional.of(START.plusSeconds(500)), START, START.plusSeconds(624), ALLOWED)).isFalse();
    }

    @Test
    void beforeTheFirstPassTheStartCounts() {
        assertThat(ReconcileLoopLiveness.alive(Optional.empty(), START, START.plusSeconds(60), ALLOWED)).isTrue();
        assertThat(ReconcileLoopLiveness.alive(Optional.empty(), START, START.plusSeconds(124), ALLOWED)).isFalse();
    }
}
