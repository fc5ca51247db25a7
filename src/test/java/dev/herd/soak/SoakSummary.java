package dev.herd.soak;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The soak's closing report, as Markdown tables. Pure. */
final class SoakSummary {
    private SoakSummary() {
    }

    static String render(Soak.Options options, List<Soak.Converged> converged, Map<Action, Integer> skipped, JobLedger.Tally jobs,
                         int bursts, int invalidFlagged, int foreignChecks, int strayKills, int strayFreezes, Optional<MemoryVerdict> memory,
                         List<MemorySampler.Sample> samples, List<String> violations) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%n## Soak: %d s, seed %d%n%n", options.length().toSeconds(), options.seed()));
        b.append("| action | count | converged p50 | converged max | bound |\n| --- | ---: | ---: | ---: | ---: |\n");
        for (Action action : Action.values()) {
            List<Duration> times = converged.stream().filter(c -> c.action() == action).map(Soak.Converged::took)
                    .sorted(Comparator.naturalOrder()).toList();
            b.append(String.format("| %s | %d | %s | %s | %d s |%n", action.label, times.size(),
                    times.isEmpty() ? "-" : ms(times.get((times.size() - 1) / 2)), times.isEmpty() ? "-" : ms(times.get(times.size() - 1)),
                    Soak.BOUND.toSeconds()));
        }
        b.append(String.format("| job bursts (no wait) | %d | | | |%n", bursts));
        if (!skipped.isEmpty()) {
            b.append("\nSkipped (no running worker to hit, or Herd kills held back in the last ")
                    .append(Math.round((1 - Soak.NO_HERD_KILL_AFTER) * 100)).append("% of the run): ").append(skipped).append('\n');
        }
        b.append(String.format("Invalid edits flagged by Herd as ConfigInvalid while they stood: %d of %d%n",
                invalidFlagged, converged.stream().filter(c -> c.action() == Action.EDIT_INVALID).count()));
        b.append("\n| jobs submitted | via API | via Redis | refused at submission | finished | failed (with reason) | retried after a worker death | pending at the end |\n")
                .append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
                .append(String.format("| %d | %d | %d | %d | %d | %d | %d | %d |%n", jobs.submitted, jobs.viaApi, jobs.viaRedis, jobs.refused,
                        jobs.finished, jobs.failed, jobs.retried, jobs.pending));
        jobs.failureReasons.forEach((reason, n) -> b.append(String.format("- failed %d x: %s%n", n, reason)));
        b.append('\n');
        if (memory.isPresent()) {
            MemoryVerdict m = memory.get();
            b.append(String.format("Herd memory (last Herd process, %d samples over %.0f s, %d of them after a full collection; flat = last-quarter median <= %.2f x second-quarter median,"
                    + " for the live heap always, for RSS once the process has lived %.0f s):%n%n",
                    m.samples(), m.seconds(), m.liveSamples(), MemoryVerdict.MAX_RATIO, MemoryVerdict.RSS_JUDGED_AFTER_SECONDS));
            b.append("| live heap Q2 | live heap Q4 | ratio | RSS Q2 | RSS Q4 | RSS ratio | max RSS of any Herd | Herd processes |\n")
                    .append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
                    .append(String.format("| %.1f MiB | %.1f MiB | %.2f | %d MiB | %d MiB | %.2f%s | %d MiB | %d |%n", m.q2LiveBytes() / 1048576.0,
                            m.q4LiveBytes() / 1048576.0, m.liveRatio(), m.q2RssKb() / 1024, m.q4RssKb() / 1024, m.rssRatio(),
                            m.rssJudged() ? "" : " (not judged)", m.maxRssKb() / 1024, m.incarnation() + 1));
        } else {
            b.append(String.format("Herd memory: not judged (the last Herd process has fewer than %d samples after a full collection: %d samples in all)%n",
                    MemoryVerdict.MIN_SAMPLES, samples.size()));
        }
        b.append(String.format("%nForeign services checked after every action (%d checks): same Zinit file always, same pid unless Zinit itself restarted.%n",
                foreignChecks));
        b.append(String.format("Stray worker processes (no Zinit service runs them): none may run at any convergence; Herd killed %d and froze %d"
                + " (StrayKilled, StrayFrozen in its logs).%n", strayKills, strayFreezes));
        b.append(violations.isEmpty() ? "\nViolations: none\n" : "\nViolations:\n");
        violations.forEach(v -> b.append("- ").append(v).append('\n'));
        b.append(violations.isEmpty() ? "\nSOAK PASSED\n" : "\nSOAK FAILED\n");
        return b.toString();
    }

    private static String ms(Duration d) {
        return d.toMillis() + " ms";
    }
}
