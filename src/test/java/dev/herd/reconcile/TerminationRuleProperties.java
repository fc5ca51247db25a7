package dev.herd.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The Terminator's rule over a whole removal: whatever Zinit and the process groups show from one
 * look to the next (every 200 ms), a worker whose group still runs never counts as gone before it
 * was SIGKILLed and given time to be reaped; SIGKILL goes once, never before the deadline; Herd
 * sends the stop signal itself at most once, never before Zinit's own stop had time; and every
 * removal ends by the deadline plus the time a kill takes.
 */
class TerminationRuleProperties {
    private static final Instant SINCE = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration LOOK = Duration.ofMillis(200);

    /** One look: what Zinit and /proc show at it. */
    record Look(boolean listed, boolean zinitStopped, boolean groupRuns, boolean shownGroupRuns) {
    }

    record Removal(Duration grace, boolean localPids, Optional<Integer> stopAnsweredAtLook, List<Look> looks) {
    }

    @Property(tries = 1000)
    void aRunningGroupIsNeverGoneBeforeItsKillAndEveryRemovalEnds(@ForAll("removals") Removal r) {
        Terminating t = new Terminating("p-0", "p", 0, "scale down", SINCE, SINCE.plus(r.grace()), false);
        TerminationRule.Progress progress = TerminationRule.Progress.begun();
        int kills = 0;
        int checks = 0;
        Optional<String> exited = Optional.empty();
        Instant now = SINCE;
        for (int i = 0; i < r.looks().size() && exited.isEmpty(); i++) {
            now = SINCE.plus(LOOK.multipliedBy(i));
            if (r.stopAnsweredAtLook().equals(Optional.of(i))) {
                progress = progress.answered(now);
            }
            Look l = r.looks().get(i);
            TerminationRule.Facts facts = new TerminationRule.Facts(l.listed(), l.zinitStopped(), r.localPids(),
                    r.localPids() && l.groupRuns(), r.localPids() && l.shownGroupRuns());
            TerminationRule.Decision d = TerminationRule.decide(t, progress, facts, now);
            if (d.exited().isPresent()) {
                boolean runs = r.localPids() ? l.groupRuns() || l.shownGroupRuns() : !l.zinitStopped();
                if (runs) {
                    assertThat(progress.killedAt()).as("gone while its group runs: only after a kill").isPresent();
                    assertThat(now).as("and only once the kill had time to be reaped")
                            .isAfterOrEqualTo(progress.killedAt().get().plus(TerminationRule.AFTER_KILL));
                }
                exited = d.exited();
            }
            if (d.kill()) {
                assertThat(now).as("SIGKILL before the deadline").isAfterOrEqualTo(t.deadline());
                kills++;
                progress = progress.killed(now);
            }
            if (d.checkGroup()) {
                assertThat(r.localPids()).as("a group looked at without this host's pids").isTrue();
                Instant answered = progress.stopAnswered().orElseThrow();
                assertThat(now).as("the stop signal sent before Zinit's own had time")
                        .isAfterOrEqualTo(answered.plus(TerminationRule.SIGNAL_CHECK));
                checks++;
                progress = progress.checked();
            }
        }
        assertThat(kills).as("SIGKILLs").isLessThanOrEqualTo(1);
        assertThat(checks).as("stop signals sent by Herd").isLessThanOrEqualTo(1);
        Instant end = t.deadline().plus(TerminationRule.AFTER_KILL).plus(LOOK);
        if (!now.isBefore(end)) {
            assertThat(exited).as("the removal ended by its deadline plus a kill's time").isPresent();
        }
    }

    @Provide
    Arbitrary<Removal> removals() {
        Arbitrary<Look> look = Combinators.combine(Arbitraries.of(true, true, true, false), Arbitraries.of(true, false),
                Arbitraries.of(true, true, false), Arbitraries.of(true, false, false)).as(Look::new);
        // a grace of 0..3 s and enough looks to pass its deadline plus a kill's time
        return Combinators.combine(Arbitraries.integers().between(0, 3000).map(Duration::ofMillis), Arbitraries.of(true, false),
                Arbitraries.integers().between(0, 10).optional(), look.list().ofMinSize(1).ofMaxSize(60))
                .as(Removal::new);
    }
}
