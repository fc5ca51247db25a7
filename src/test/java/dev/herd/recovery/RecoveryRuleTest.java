package dev.herd.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herd.recovery.RecoveryRule.Decision;
import dev.herd.recovery.RecoveryRule.Drop;
import dev.herd.recovery.RecoveryRule.Fail;
import dev.herd.recovery.RecoveryRule.Keep;
import dev.herd.recovery.RecoveryRule.Requeue;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Tables for the recovery decision: which jobs a worker holds are orphaned, and what becomes of them. */
class RecoveryRuleTest {
    private static final Instant NOW = Instant.parse("2025-08-01T10:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(6);

    private static Instant ago(long seconds) {
        return NOW.minusSeconds(seconds);
    }

    private static Optional<HeldJob.Facts> started(Instant at, Optional<Instant> heartbeat, int attempts, int retries) {
        return Optional.of(new HeldJob.Facts("started", "osis", false, retries, attempts, Optional.of(at), heartbeat));
    }

    private static Optional<HeldJob.Facts> taken(int attempts, int retries) {
        return Optional.of(new HeldJob.Facts("dispatched", "osis", false, retries, attempts, Optional.empty(), Optional.empty()));
    }

    static Stream<Arguments> heldJobs() {
        Optional<Instant> diedNow = Optional.of(ago(0));
        Optional<Instant> restarted5sAgo = Optional.of(ago(5));
        Optional<Instant> noEvidence = Optional.empty();
        return Stream.of(
                // what the hash says                                 first seen  death evidence   expected
                Arguments.of("hash gone", Optional.empty(), ago(1), diedNow, new Drop("its hash is gone")),
                Arguments.of("finished, not cleared", Optional.of(new HeldJob.Facts("finished", "osis", false, 1, 0, Optional.empty(), Optional.empty())),
                        ago(1), noEvidence, new Drop("already finished; the worker stopped before clearing it")),
                Arguments.of("running, worker alive", started(ago(30), Optional.of(ago(1)), 0, 1), ago(30), noEvidence, new Keep()),
                Arguments.of("running, no heartbeat, worker alive", started(ago(30), Optional.empty(), 0, 1), ago(30), noEvidence, new Keep()),
                Arguments.of("fresh heartbeat though Zinit says gone (finishing after SIGTERM)",
                        started(ago(30), Optional.of(ago(5)), 0, 1), ago(30), diedNow, new Keep()),
                Arguments.of("stale heartbeat, worker restarted since it started",
                        started(ago(30), Optional.of(ago(6)), 0, 1), ago(30), restarted5sAgo,
                        new Requeue("osis", 1, "worker osis-1 died while running it; retry 1 of 1")),
                Arguments.of("no heartbeat (a worker that does not beat), worker gone",
                        started(ago(30), Optional.empty(), 0, 2), ago(30), diedNow,
                        new Requeue("osis", 1, "worker osis-1 died while running it; retry 1 of 2")),
                Arguments.of("started by the worker's current process", started(ago(2), Optional.empty(), 0, 1), ago(2), restarted5sAgo, new Keep()),
                Arguments.of("second death, retries exhausted", started(ago(30), Optional.empty(), 1, 1), ago(30), diedNow,
                        new Fail("worker osis-1 died while running it; retries exhausted (1 of 1)")),
                Arguments.of("retries 0", started(ago(30), Optional.empty(), 0, 0), ago(30), diedNow,
                        new Fail("worker osis-1 died while running it; the job allows no retries (retries 0)")),
                Arguments.of("taken, not marked, seen before the death", taken(0, 1), ago(3), diedNow,
                        new Requeue("osis", 1, "worker osis-1 died after taking it; retry 1 of 1")),
                Arguments.of("taken, not marked, first seen after the evidence", taken(0, 1), ago(0), Optional.of(ago(1)), new Keep()),
                Arguments.of("a ping held by a dead worker",
                        Optional.of(new HeldJob.Facts("started", "osis", true, 0, 0, Optional.of(ago(30)), Optional.empty())),
                        ago(30), diedNow, new Drop("a ping held by a dead worker")),
                Arguments.of("a ping held by a live worker",
                        Optional.of(new HeldJob.Facts("started", "osis", true, 0, 0, Optional.of(ago(1)), Optional.empty())),
                        ago(1), noEvidence, new Keep()),
                Arguments.of("no pool to requeue to",
                        Optional.of(new HeldJob.Facts("started", "", false, 3, 0, Optional.of(ago(30)), Optional.empty())), ago(30), diedNow,
                        new Fail("worker osis-1 died while running it; it names no pool to requeue it to")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("heldJobs")
    void heldJob(String name, Optional<HeldJob.Facts> facts, Instant firstSeen, Optional<Instant> deadBefore, Decision expected) {
        assertThat(RecoveryRule.held("osis-1", new HeldJob("j", facts, firstSeen), deadBefore, LEASE, NOW)).isEqualTo(expected);
    }

    static Stream<Arguments> lives() {
        return Stream.of(
                Arguments.of(new WorkerLife.Absent(), Optional.of(NOW)),
                Arguments.of(new WorkerLife.NoProcess(), Optional.of(NOW)),
                Arguments.of(new WorkerLife.Running(Optional.of(ago(7))), Optional.of(ago(7))),
                Arguments.of(new WorkerLife.Running(Optional.empty()), Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lives")
    void deathEvidence(WorkerLife life, Optional<Instant> expected) {
        assertThat(RecoveryRule.deadBefore(life, NOW)).isEqualTo(expected);
    }

    static Stream<Arguments> queuedForRemoved() {
        HeldJob.Facts waiting = new HeldJob.Facts("dispatched", "osis", false, 1, 0, Optional.empty(), Optional.empty());
        HeldJob.Facts noPool = new HeldJob.Facts("dispatched", "", false, 1, 0, Optional.empty(), Optional.empty());
        HeldJob.Facts ping = new HeldJob.Facts("dispatched", "osis", true, 0, 0, Optional.empty(), Optional.empty());
        return Stream.of(
                Arguments.of("hash gone", Optional.empty(), "osis", new Drop("its hash is gone")),
                Arguments.of("a ping", Optional.of(ping), "osis", new Drop("a ping for a removed worker")),
                Arguments.of("a job for the worker", Optional.of(waiting), "osis", new Requeue("osis", 0, "queued for worker osis-1, which was removed")),
                Arguments.of("no pool on the job: the worker's", Optional.of(noPool), "osis", new Requeue("osis", 0, "queued for worker osis-1, which was removed")),
                Arguments.of("no pool at all", Optional.of(noPool), "",
                        new Fail("it was queued for worker osis-1, which was removed, and names no pool to requeue it to")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("queuedForRemoved")
    void ownQueueOfARemovedWorker(String name, Optional<HeldJob.Facts> facts, String workerPool, Decision expected) {
        assertThat(RecoveryRule.queuedForRemoved("osis-1", facts, workerPool)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void factsAreReadFromTheHeroHash() {
        HeldJob.Facts f = HeldJob.Facts.of(Map.of("status", "started", "pool", "osis", "script", "ping", "retries", "2",
                "attempts", "x", "updated_at", "2025-08-01T09:59:00.123Z", "heartbeat", "1754042399000"), "ping");
        assertThat(f).isEqualTo(new HeldJob.Facts("started", "osis", true, 2, 0, Optional.of(Instant.parse("2025-08-01T09:59:00.123Z")),
                Optional.of(Instant.ofEpochMilli(1754042399000L))));
        assertThat(HeldJob.Facts.of(Map.of("status", "dispatched", "updated_at", "2025-08-01T09:59:00Z"), "ping").startedAt()).isEmpty();
    }
}
