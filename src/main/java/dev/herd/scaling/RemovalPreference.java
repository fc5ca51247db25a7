package dev.herd.scaling;

import java.util.Comparator;
import java.util.List;

/**
 * Which workers to remove first when a pool shrinks: idle before busy (a busy worker would finish its
 * job on SIGTERM, but that holds a slot for as long as the job runs), and among idle ones the one
 * idle longest (never had a job counts as longest). Pure; the planner takes the list as data.
 */
public final class RemovalPreference {
    private RemovalPreference() {
    }

    public static List<String> order(List<WorkerLoad> workers) {
        return workers.stream()
                .sorted(Comparator.comparing(WorkerLoad::busy)
                        .thenComparingLong(WorkerLoad::lastJobAtMs)
                        .thenComparing(WorkerLoad::name, Comparator.reverseOrder()))
                .map(WorkerLoad::name)
                .toList();
    }
}
