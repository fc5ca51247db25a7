package dev.herd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herd.reconcile.WorkerPhase;
import dev.herd.reconcile.PoolStatus;
import dev.herd.reconcile.ResourceUsage;
import dev.herd.reconcile.WorkerStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TopCommandTest {
    private static final Instant NOW = Instant.parse("2026-11-30T01:00:00Z");

    @Test
    void oneRowPerWorkerWithADashWhereNothingWasSampled() {
        PoolStatus osis = new PoolStatus("osis", 2, 2, 1, 2, 1, 1, List.of(), List.of(
                new WorkerStatus("osis-0", "RUNNING", 4242, 0, NOW, "h", WorkerPhase.READY,
                        Optional.of(new ResourceUsage(87.25, 157L << 20, 3, "proc", NOW))),
                new WorkerStatus("osis-1", "SPAWNED", 0, 0, NOW, "h", WorkerPhase.STARTING)));
        assertThat(TopCommand.render(List.of(osis))).containsExactly(
                "POOL   WORKER   PID    CPU%   MEMORY    PROCS   SOURCE",
                "osis   osis-0   4242   87.3   157.0Mi   3       proc",
                "osis   osis-1   -      -      -         -       -");
        assertThat(TopCommand.render(List.of())).containsExactly("No workers.");
    }

    @Test
    void memoryReadsLikeKubectl() {
        assertThat(TopCommand.bytes(512)).isEqualTo("0Ki");
        assertThat(TopCommand.bytes(300L << 10)).isEqualTo("300Ki");
        assertThat(TopCommand.bytes(3L << 30)).isEqualTo("3.0Gi");
    }
}
