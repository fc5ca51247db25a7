package dev.herd.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herd.zinit.ServiceState;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Until its scaler has read the queue, an autoscaled pool keeps the workers it has (within its bounds). */
class KeepCountTest {
    private static final DesiredPool FILE_SAYS_ONE = new DesiredPool("held", 1, "h", 1, 0, List.of())
            .keepingCount(new DesiredPool.KeepCount(1, 6));

    private static Observation workers(int n) {
        return new Observation(IntStream.range(0, n).mapToObj(i -> new ObservedWorker("held-" + i, "held", i, "h", ServiceState.RUNNING, 100 + i))
                .toList(), Set.of());
    }

    @Test
    void theCountObservedIsKeptWithinTheBounds() {
        assertThat(FILE_SAYS_ONE.resolved(workers(4), Terminations.none()).replicas()).isEqualTo(4);
        assertThat(FILE_SAYS_ONE.resolved(workers(9), Terminations.none()).replicas()).isEqualTo(6);
        // a new pool, nothing to keep: the file's count
        assertThat(FILE_SAYS_ONE.resolved(workers(0), Terminations.none()).replicas()).isEqualTo(1);
        assertThat(FILE_SAYS_ONE.resolved(workers(4), Terminations.none()).keepCount()).isEmpty();
    }

    @Test
    void aPoolThatMayBeAtZeroStaysAtZero() {
        DesiredPool mayIdle = new DesiredPool("held", 1, "h", 1, 0, List.of()).keepingCount(new DesiredPool.KeepCount(0, 6));
        assertThat(mayIdle.resolved(workers(0), Terminations.none()).replicas()).isZero();
        assertThat(mayIdle.resolved(workers(2), Terminations.none()).replicas()).isEqualTo(2);
    }

    @Test
    void workersBeingRemovedAreNotKept() {
        Terminations removing = Terminations.none().begun(new Terminating("held-3", "held", 3, "scale down", Instant.EPOCH,
                Instant.EPOCH.plusSeconds(30), false));
        assertThat(FILE_SAYS_ONE.resolved(workers(4), removing).replicas()).isEqualTo(3);
    }

    @Test
    void aPoolWithACountOfItsOwnIsAsItIs() {
        DesiredPool fixed = new DesiredPool("held", 2, "h", 1, 0, List.of());
        assertThat(fixed.resolved(workers(5), Terminations.none())).isSameAs(fixed);
    }
}
