package dev.herd.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A delete Zinit refuses is asked again after a pause that grows, not within milliseconds. */
class DeleteBackoffTest {
    @Test
    void thePauseDoublesFrom200MillisUpTo5Seconds() {
        assertThat(java.util.stream.IntStream.rangeClosed(1, 8).mapToObj(Terminator::deleteBackoff).map(Duration::toMillis).toList())
                .containsExactly(200L, 400L, 800L, 1600L, 3200L, 5000L, 5000L, 5000L);
    }
}
