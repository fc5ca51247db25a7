package dev.herd.jobs;

import dev.herd.desired.DesiredState;
import dev.herd.desired.WatchedDesiredState;
import dev.herd.desired.WorkerPool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Routes jobs by the pools in force in the desired state (their last good specs). */
@ApplicationScoped
public class DesiredPoolDirectory implements PoolDirectory {
    @Inject
    WatchedDesiredState desired;

    @Override
    public Optional<String> route(Optional<String> pool, Optional<String> scriptType) {
        Map<String, WorkerPool> pools = desired.current().map(DesiredState::activePools).orElse(Map.of());
        if (pool.isPresent()) {
            return pools.containsKey(pool.get()) ? pool : Optional.empty();
        }
        return pools.values().stream().filter(p -> p.spec().scriptType().equals(scriptType.orElse("")))
                .map(WorkerPool::name).findFirst();
    }

    @Inject
    dev.herd.reconcile.ReconcileLoop loop;

    @Override
    public java.util.List<String> directWorkers(String pool) {
        boolean direct = desired.current().map(DesiredState::activePools).map(p -> p.get(pool))
                .map(p -> p.spec().queue() == dev.herd.desired.QueueMode.WORKER).orElse(false);
        dev.herd.reconcile.PoolStatus status = direct ? loop.snapshot().pools().get(pool) : null;
        return status == null ? java.util.List.of()
                : status.workers().stream().filter(w -> w.phase() == dev.herd.reconcile.WorkerPhase.READY).map(dev.herd.reconcile.WorkerStatus::name).toList();
    }

    @Override
    public Set<String> describe() {
        Set<String> out = new TreeSet<>();
        desired.current().map(DesiredState::activePools).orElse(Map.of())
                .forEach((name, p) -> out.add(name + " (scriptType " + p.spec().scriptType() + ")"));
        return out;
    }
}
