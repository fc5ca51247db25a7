package dev.herd.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herd.health.PingVerdict.Failed;
import dev.herd.health.PingVerdict.Observed;
import dev.herd.health.PingVerdict.Passed;
import dev.herd.health.PingVerdict.Policy;
import dev.herd.health.PingVerdict.SendPing;
import dev.herd.health.PingVerdict.State;
import dev.herd.health.PingVerdict.Step;
import dev.herd.health.PingVerdict.Wait;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PingVerdictTest {
    private static final Instant T0 = Instant.parse("2025-08-01T10:00:00Z");
    private static final Policy POLICY = new Policy(Duration.ofMinutes(10), Duration.ofSeconds(5), 3, "pong");

    private static Observed idleSince(Instant t) {
        return new Observed(t, Optional.empty(), Optional.empty());
    }

    private static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    @Test
    void aWorkerIdleForLessThanPingAfterIdleIsLeftAlone() {
        assertThat(PingVerdict.next(State.fresh(), idleSince(T0), POLICY, at(599))).isInstanceOf(Wait.class);
    }

    @Test
    void aWorkerIdleForPingAfterIdleIsPinged() {
        assertThat(PingVerdict.next(State.fresh(), idleSince(T0), POLICY, at(600))).isInstanceOf(SendPing.class);
    }

    @Test
    void aBusyWorkerIsNeverPinged() {
        Observed busy = new Observed(T0, Optional.of("job-1"), Optional.empty());
        assertThat(PingVerdict.next(State.fresh(), busy, POLICY, at(3600))).isInstanceOf(Wait.class);
    }

    @Test
    void theRightAnswerPassesAndResetsFailures() {
        State failing = new State(2, Optional.empty(), Optional.empty(), Optional.empty(), 0).pinging("p", at(600), POLICY);
        Step step = PingVerdict.next(failing, new Observed(T0, Optional.empty(), Optional.of("pong\n")), POLICY, at(601));
        assertThat(step).isInstanceOf(Passed.class);
        assertThat(step.state().failures()).isZero();
        assertThat(step.state().pending()).isEmpty();
        assertThat(step.state().lastPingOk()).contains(at(601));
        assertThat(step.state().describe(3)).isEqualTo("Healthy");
    }

    @Test
    void aPassedPingCountsAsActivityForTheIdleClock() {
        State ok = new State(0, Optional.empty(), Optional.of(at(601)), Optional.empty(), 0);
        assertThat(PingVerdict.next(ok, idleSince(T0), POLICY, at(1200))).isInstanceOf(Wait.class);
        assertThat(PingVerdict.next(ok, idleSince(T0), POLICY, at(1201))).isInstanceOf(SendPing.class);
    }

    @Test
    void aWrongAnswerIsAFailureWithWhatWasSaid() {
        State pinging = State.fresh().pinging("p", at(600), POLICY);
        Step step = PingVerdict.next(pinging, new Observed(T0, Optional.empty(), Optional.of("error: boom")), POLICY, at(601));
        assertThat(step).isInstanceOfSatisfying(Failed.class, f -> {
            assertThat(f.reason()).isEqualTo("answered 'error: boom' instead of 'pong' (1/3)");
            assertThat(f.restart()).isFalse();
        });
    }

    @Test
    void aPingRedisForgotIsSentAgainAndCountsNothingAgainstTheWorker() {
        State twice = State.fresh().pinging("p", at(600), POLICY);
        Step failed = PingVerdict.next(twice, idleSince(T0), POLICY, at(700)); // past the deadline: one failure
        State failing = failed.state().pinging("p2", at(700), POLICY);
        Step step = PingVerdict.next(failing, new Observed(T0, Optional.empty(), Optional.empty(), true), POLICY, at(800));
        assertThat(step).isInstanceOf(SendPing.class);
        assertThat(step.state().pending()).isEmpty();
        assertThat(step.state().failures()).as("the one before stays, no new one").isEqualTo(1);
    }

    @Test
    void noAnswerBeforeTheDeadlineWaitsAndAtTheDeadlineFails() {
        State pinging = State.fresh().pinging("p", at(600), POLICY);
        assertThat(PingVerdict.next(pinging, idleSince(T0), POLICY, at(604))).isInstanceOf(Wait.class);
        Step step = PingVerdict.next(pinging, idleSince(T0), POLICY, at(605));
        assertThat(step).isInstanceOfSatisfying(Failed.class, f -> assertThat(f.reason()).startsWith("no answer to ping p by "));
        assertThat(step.state().describe(3)).isEqualTo("Failing 1/3");
    }

    @Test
    void afterAFailureThePingIsSentAgainAtOnce() {
        State failing = new State(1, Optional.empty(), Optional.empty(), Optional.empty(), 0);
        assertThat(PingVerdict.next(failing, idleSince(at(700)), POLICY, at(701))).isInstanceOf(SendPing.class);
    }

    @Test
    void exactlyThresholdFailuresInARowRestartAndStartTheIdleClockAgain() {
        State s = State.fresh();
        Instant now = at(600);
        int restartsAt = -1;
        for (int i = 1; i <= 3; i++) {
            Step send = PingVerdict.next(s, idleSince(T0), POLICY, now);
            assertThat(send).as("round %d", i).isInstanceOf(SendPing.class);
            s = send.state().pinging("p" + i, now, POLICY);
            now = now.plusSeconds(5);
            Step judged = PingVerdict.next(s, idleSince(T0), POLICY, now);
            assertThat(judged).isInstanceOf(Failed.class);
            if (((Failed) judged).restart()) {
                restartsAt = i;
            }
            s = judged.state();
        }
        assertThat(restartsAt).isEqualTo(3);
        assertThat(s.restarts()).isEqualTo(1);
        assertThat(s.failures()).isZero();
        assertThat(s.lastRestart()).contains(now);
        assertThat(PingVerdict.next(s, idleSince(T0), POLICY, now.plusSeconds(599))).isInstanceOf(Wait.class);
        assertThat(PingVerdict.next(s, idleSince(T0), POLICY, now.plusSeconds(600))).isInstanceOf(SendPing.class);
    }

    @Test
    void aPingQueuedBehindAJobGetsItsTimeWhenTheJobEnds() {
        State pinging = State.fresh().pinging("p", at(600), POLICY);
        Observed busyElsewhere = new Observed(T0, Optional.of("long-job"), Optional.empty());
        Step step = PingVerdict.next(pinging, busyElsewhere, POLICY, at(900));
        assertThat(step).isInstanceOf(Wait.class);
        assertThat(step.state().pending().orElseThrow().deadline()).isEqualTo(at(905));
        assertThat(PingVerdict.next(step.state(), idleSince(at(902)), POLICY, at(904))).isInstanceOf(Wait.class);
        assertThat(PingVerdict.next(step.state(), idleSince(at(902)), POLICY, at(905))).isInstanceOf(Failed.class);
    }

    @Test
    void aWorkerBusyWithThePingItselfIsStillJudgedByTheDeadline() {
        State pinging = State.fresh().pinging("p", at(600), POLICY);
        Observed onPing = new Observed(T0, Optional.of("p"), Optional.empty());
        assertThat(PingVerdict.next(pinging, onPing, POLICY, at(605))).isInstanceOf(Failed.class);
    }

    @Test
    void aThresholdOfOneRestartsOnTheFirstFailure() {
        Policy strict = new Policy(Duration.ofSeconds(1), Duration.ofSeconds(1), 1, "pong");
        State pinging = State.fresh().pinging("p", at(0), strict);
        assertThat(PingVerdict.next(pinging, idleSince(T0), strict, at(1)))
                .isInstanceOfSatisfying(Failed.class, f -> assertThat(f.restart()).isTrue());
    }
}
