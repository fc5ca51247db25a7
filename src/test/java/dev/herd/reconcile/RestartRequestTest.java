package dev.herd.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herd.zinit.ServiceState;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Restarts other parts of Herd ask for become the loop's actions, for workers that have a process to restart. */
class RestartRequestTest {
    private static final Observation SEEN = new Observation(List.of(
            new ObservedWorker("a-0", "a", 0, "h", ServiceState.RUNNING, 10),
            new ObservedWorker("a-1", "a", 1, "h", ServiceState.EXITED, 0),
            new ObservedWorker("a-2", "a", 2, "h", ServiceState.RUNNING, 12, true)), Set.of());

    @Test
    void aRunningWorkerIsRestartedWithTheReasonGiven() {
        assertThat(RestartRequest.actions(List.of(new RestartRequest("a", "a-0", "3 failed pings")), SEEN, Terminations.none()))
                .containsExactly(new Action.RestartWorker("a", "a-0", "3 failed pings"));
    }

    @Test
    void aWorkerWithoutAProcessOrGoneFromZinitHasNothingToRestart() {
        assertThat(RestartRequest.actions(List.of(new RestartRequest("a", "a-1", "x"), new RestartRequest("a", "a-2", "x"),
                new RestartRequest("a", "a-9", "x")), SEEN, Terminations.none())).isEmpty();
    }
}
