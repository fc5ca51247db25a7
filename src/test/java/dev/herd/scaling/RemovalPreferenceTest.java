package dev.herd.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RemovalPreferenceTest {
    @Test
    void idleLongestFirstBusyLast() {
        List<WorkerLoad> workers = List.of(
                new WorkerLoad("p-0", 1, 0, true, 5_000),
                new WorkerLoad("p-1", 0, 0, false, 9_000),
                new WorkerLoad("p-2", 0, 0, false, 2_000),
                new WorkerLoad("p-3", 0, 0, false, 0),
                new WorkerLoad("p-4", 0, 0, true, 1_000));
        assertThat(RemovalPreference.order(workers)).containsExactly("p-3", "p-2", "p-1", "p-4", "p-0");
    }

    @Test
    void keyspaceFlagsAreAddedNotReplaced() {
        assertThat(KeyspaceWakeup.withListEvents("")).isEqualTo("Kl");
        assertThat(KeyspaceWakeup.withListEvents("Ex")).isEqualTo("ExKl");
        assertThat(KeyspaceWakeup.withListEvents("AKE")).isEqualTo("AKE");
    }
}
