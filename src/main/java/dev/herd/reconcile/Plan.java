package dev.herd.reconcile;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a reconcile pass will do: stages run one after another, the actions inside a stage in
 * parallel (stages keep dependency order: dependents stop first and start last).
 *
 * @param stages       ordered stages of independent actions
 * @param conflicts    service names a desired worker would collide with, owned by someone else
 * @param requeueAfter when to look again even if nothing changes (a backoff or grace ends)
 */
public record Plan(List<List<Action>> stages, List<String> conflicts, Optional<Duration> requeueAfter) {
    public Plan {
        stages = stages.stream().filter(s -> !s.isEmpty()).map(List::copyOf).toList();
        conflicts = List.copyOf(conflicts);
    }

    public List<Action> actions() {
        return stages.stream().flatMap(List::stream).toList();
    }

    public boolean isEmpty() {
        return stages.isEmpty();
    }

    /** This plan with {@code actions} as one more stage, after the others. */
    public Plan then(List<Action> actions) {
        List<List<Action>> more = new java.util.ArrayList<>(stages);
        more.add(actions);
        return new Plan(more, conflicts, requeueAfter);
    }
}
