package dev.herd.strays;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herd.introspect.ProcessTable.Proc;
import dev.herd.reconcile.Ownership;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StrayRuleTest {
    private static final Instant T0 = Instant.parse("2026-11-30T04:00:00Z");
    private static final Duration GRACE = Duration.ofSeconds(5);
    // init, zinit-server, a service's sh wrapper, its worker, the worker's job (own session, same ancestry), an orphan
    private static final Proc INIT = proc(1, 0, 1, false);
    private static final Proc ZINIT = proc(100, 1, 10, false);
    private static final Proc WRAPPER = proc(200, 100, 20, false);
    private static final Proc WORKER = proc(201, 200, 21, false);
    private static final Proc JOB = proc(300, 201, 30, false);
    private static final Proc ORPHAN = proc(400, 1, 40, false);

    /** A process as Zinit starts one: the leader of a group of its own, in its parent's session (0). */
    private static Proc proc(long pid, long parent, long start, boolean stopped) {
        return new Proc((int) pid, (int) parent, (int) pid, 0, start, 0, 0, stopped ? 'T' : 'S');
    }

    private static StrayRule.Labelled labelled(Proc p, String pool, int ordinal) {
        return new StrayRule.Labelled(p, new Ownership.Label(pool, ordinal, "abc"));
    }

    @Test
    void aProcessIsSupervisedWhenItOrAnAncestorIsAPidZinitShows() {
        List<Proc> all = List.of(INIT, ZINIT, WRAPPER, WORKER, JOB, ORPHAN);
        assertThat(StrayRule.unsupervised(all, Set.of(200L))).containsExactlyInAnyOrder(INIT, ZINIT, ORPHAN);
        // Zinit lost track of the service: its whole family is unsupervised
        assertThat(StrayRule.unsupervised(all, Set.of())).containsExactlyInAnyOrderElementsOf(all);
    }

    @Test
    void aLoopInParentLinksEnds() {
        Proc a = proc(7, 8, 1, false);
        Proc b = proc(8, 7, 1, false);
        assertThat(StrayRule.unsupervised(List.of(a, b), Set.of(100L))).containsExactly(a, b);
    }

    @Test
    void aProcessOutsideZinitIsAStrayWhenItsWorkerHasNoServiceOrItsServiceRunsAnotherProcessOfItsOwn() {
        StrayRule.Labelled noService = labelled(ORPHAN, "mail", 2);
        StrayRule.Labelled leftBehind = labelled(proc(401, 1, 41, false), "mail", 3);
        assertThat(StrayRule.strays(List.of(noService, leftBehind), Map.of("mail-3", new StrayRule.Listed(500, true)), Set.of()))
                .extracting(StrayRule.Labelled::worker).containsExactly("mail-2", "mail-3");
    }

    @Test
    void aWorkerWhoseServiceShowsNoProcessOrAnotherServicesIsNotJudged() {
        // Zinit shows no pid yet, or a pid that is not the worker's (a delete shifted its slot): its real process may be this one
        StrayRule.Labelled l = labelled(ORPHAN, "mail", 2);
        assertThat(StrayRule.strays(List.of(l), Map.of("mail-2", new StrayRule.Listed(0, false)), Set.of())).isEmpty();
        assertThat(StrayRule.strays(List.of(l), Map.of("mail-2", new StrayRule.Listed(777, false)), Set.of())).isEmpty();
    }

    @Test
    void processesOfAWorkerBeingRemovedAreTheRemovalsNotStrays() {
        List<StrayRule.Labelled> found = List.of(labelled(ORPHAN, "mail", 2), labelled(JOB, "mail", 3));
        assertThat(StrayRule.strays(found, Map.of(), Set.of("mail-3"))).extracting(StrayRule.Labelled::worker).containsExactly("mail-2");
    }

    @Test
    void aFamilyZinitStillWaitsForIsFrozenAnOrphanedOneKilledAndAFrozenOneLeft() {
        // Zinit (100) started a wrapper (600) for mail-2 and lost track of it; its worker (601) and that worker's job (602) hang below
        Proc wrapper = proc(600, 100, 60, false);
        Proc worker = proc(601, 600, 61, false);
        Proc job = proc(602, 601, 62, false);
        Proc frozen = proc(700, 100, 70, true);
        List<StrayRule.Labelled> confirmed = List.of(labelled(job, "mail", 2), labelled(worker, "mail", 2), labelled(wrapper, "mail", 2),
                labelled(ORPHAN, "mail", 3), labelled(frozen, "mail", 4));
        java.util.Map<Long, Proc> all = new java.util.HashMap<>();
        List.of(INIT, ZINIT, wrapper, worker, job, ORPHAN, frozen).forEach(p -> all.put((long) p.pid(), p));

        assertThat(StrayRule.treatment(confirmed, all, Set.of(100L))).containsExactly(
                Map.entry(confirmed.get(0), StrayRule.Treatment.FREEZE), Map.entry(confirmed.get(1), StrayRule.Treatment.FREEZE),
                Map.entry(confirmed.get(2), StrayRule.Treatment.FREEZE), Map.entry(confirmed.get(3), StrayRule.Treatment.KILL),
                Map.entry(confirmed.get(4), StrayRule.Treatment.LEAVE));
        // once zinit-server no longer waits for them (it restarted: they hang below init), they are killed, frozen or not
        assertThat(StrayRule.treatment(confirmed, all, Set.of(999L)).values()).containsOnly(StrayRule.Treatment.KILL);
    }

    @Test
    void anOrphanAZinitRunningAsPid1AdoptedIsKilledNotFrozen() {
        // Zinit as PID 1 adopts orphans: a job that led its own session (setsid), or a worker whose wrapper died
        Proc job = new Proc(800, 1, 800, 800, 80, 0, 0, 'S');
        Proc worker = new Proc(801, 1, 790, 0, 81, 0, 0, 'S');
        List<StrayRule.Labelled> confirmed = List.of(labelled(job, "mail", 5), labelled(worker, "mail", 6));
        assertThat(StrayRule.treatment(confirmed, Map.of(800L, job, 801L, worker), Set.of(1L)).values())
                .containsOnly(StrayRule.Treatment.KILL);
    }

    @Test
    void aStrayIsConfirmedOnlyWhenSeenInAnEarlierScanAtLeastTheGraceAgo() {
        List<StrayRule.Labelled> strays = List.of(labelled(ORPHAN, "mail", 2));
        StrayRule.Verdict first = StrayRule.Sightings.none().see(strays, T0, GRACE);
        assertThat(first.confirmed()).isEmpty();
        assertThat(first.next().see(strays, T0.plusSeconds(3), GRACE).confirmed()).isEmpty();
        StrayRule.Verdict later = first.next().see(strays, T0.plusSeconds(3), GRACE).next().see(strays, T0.plusSeconds(5), GRACE);
        assertThat(later.confirmed()).containsExactlyElementsOf(strays);
    }

    @Test
    void aStrayMissingFromOneScanStartsOverAndAReusedPidIsANewProcess() {
        List<StrayRule.Labelled> strays = List.of(labelled(ORPHAN, "mail", 2));
        StrayRule.Sightings seen = StrayRule.Sightings.none().see(strays, T0, GRACE).next();
        StrayRule.Sightings gap = seen.see(List.of(), T0.plusSeconds(5), GRACE).next();
        assertThat(gap.see(strays, T0.plusSeconds(10), GRACE).confirmed()).isEmpty();

        List<StrayRule.Labelled> reused = List.of(labelled(proc(ORPHAN.pid(), 1, 99, false), "mail", 2));
        assertThat(seen.see(reused, T0.plusSeconds(10), GRACE).confirmed()).isEmpty();
    }
}
