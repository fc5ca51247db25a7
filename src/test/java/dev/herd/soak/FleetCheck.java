package dev.herd.soak;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herd.zinit.ServiceStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * When the soak's fleet counts as converged: Herd answers and is ready (its Zinit and Redis checks
 * up); for each pool, Herd's desired count is what the file (or, for the scaled pool, its bounds)
 * allows, and Herd's current, ready and up-to-date counts all equal it; in Zinit the pool has
 * exactly the services {@code <pool>-0 .. <pool>-(n-1)}, each running a process; the foreign
 * services run; and no process of Herd's workers runs outside Zinit's services ({@link StrayWorkers}).
 */
final class FleetCheck {
    private FleetCheck() {
    }

    /** Empty when converged, else what is not yet as desired. */
    static Optional<String> notConverged(SoakFleet fleet) {
        if (fleet.herd() == null || fleet.herd().get("/q/health/ready").isEmpty()) {
            return Optional.of("Herd is not ready");
        }
        Optional<Map<String, JsonNode>> pools = fleet.pools();
        if (pools.isEmpty()) {
            return Optional.of("Herd's API does not answer");
        }
        Optional<List<ServiceStatus>> services = fleet.services();
        if (services.isEmpty()) {
            return Optional.of("Zinit does not answer");
        }
        Optional<String> fixed = pool(SoakFleet.FIXED, pools.get(), services.get(), fleet.fixedReplicas(), fleet.fixedReplicas());
        if (fixed.isPresent()) {
            return fixed;
        }
        Optional<String> template = onTemplate(fleet, fleet.templateGeneration());
        if (template.isPresent()) {
            return template;
        }
        Optional<String> auto = pool(SoakFleet.AUTO, pools.get(), services.get(), SoakFleet.AUTO_MIN, SoakFleet.AUTO_MAX);
        if (auto.isPresent()) {
            return auto;
        }
        long foreign = services.get().stream().filter(s -> SoakFleet.FOREIGN.contains(s.name()) && SoakFleet.running(s)).count();
        if (foreign != SoakFleet.FOREIGN.size()) {
            return Optional.of(foreign + " foreign services run");
        }
        List<String> strays = StrayWorkers.find(SoakFleet.CONTROLLER_ID, services.get());
        return strays.isEmpty() ? Optional.empty() : Optional.of("worker processes no Zinit service runs: " + strays);
    }

    private static Optional<String> pool(String name, Map<String, JsonNode> pools, List<ServiceStatus> services, int min, int max) {
        JsonNode p = pools.get(name);
        if (p == null) {
            return Optional.of("Herd shows no pool " + name);
        }
        int desired = p.path("desiredReplicas").asInt(-1);
        if (desired < min || desired > max) {
            return Optional.of(name + ": Herd wants " + desired + " workers, the file says " + (min == max ? min : min + ".." + max));
        }
        int current = p.path("currentReplicas").asInt();
        int ready = p.path("readyReplicas").asInt();
        int updated = p.path("updatedReplicas").asInt();
        if (current != desired || ready != desired || updated != desired) {
            return Optional.of(name + ": desired " + desired + ", current " + current + ", ready " + ready + ", up to date " + updated);
        }
        // ordinals need not be dense: a rolling update or a removal may leave e.g. only <pool>-1
        List<ServiceStatus> own = SoakFleet.of(name, services);
        if (own.size() != desired || !own.stream().allMatch(SoakFleet::running)) {
            return Optional.of(name + ": Zinit has " + own.stream().map(s -> s.name() + "=" + s.state() + "/" + s.pid()).toList()
                    + ", desired " + desired);
        }
        Set<String> names = own.stream().map(ServiceStatus::name).collect(Collectors.toSet());
        if (!names.equals(workerNames(p))) {
            return Optional.of(name + ": Herd's status shows workers " + workerNames(p) + ", Zinit has " + names);
        }
        return Optional.empty();
    }

    private static Set<String> workerNames(JsonNode pool) {
        Set<String> names = new java.util.HashSet<>();
        pool.path("workers").forEach(w -> names.add(w.path("name").asText()));
        return names;
    }

    /** Every fixed-pool service runs the current template (its env carries the soak's generation number). */
    static Optional<String> onTemplate(SoakFleet fleet, int generation) {
        for (ServiceStatus s : SoakFleet.of(SoakFleet.FIXED, fleet.services().orElse(List.of()))) {
            String got = fleet.env(s.name()).getOrDefault("SOAK_GENERATION", "?");
            if (!got.equals(Integer.toString(generation))) {
                return Optional.of(s.name() + " runs template generation " + got + ", not " + generation);
            }
        }
        return Optional.empty();
    }
}
