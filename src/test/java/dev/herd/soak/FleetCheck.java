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
 * allows, and Herd's current, ready and up-to-date counts all equal it; in Zinit exactly that many
 * of the pool's services run a process, the ones Herd shows as its workers, and any other is
 * stopped and shown as Parked, while a running service ends Zinit's list; the foreign
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
        // ordinals need not be dense: a rolling update or a removal may leave e.g. only <pool>-1. A removed
        // worker's service may stay, stopped (parked), while a running service comes after it in Zinit's list
        List<ServiceStatus> own = SoakFleet.of(name, services);
        List<ServiceStatus> running = own.stream().filter(SoakFleet::running).toList();
        List<ServiceStatus> stopped = own.stream().filter(s -> !s.state().hasProcess()).toList();
        if (running.size() != desired || running.size() + stopped.size() != own.size()) {
            return Optional.of(name + ": Zinit has " + own.stream().map(s -> s.name() + "=" + s.state() + "/" + s.pid()).toList()
                    + ", desired " + desired);
        }
        Set<String> names = running.stream().map(ServiceStatus::name).collect(Collectors.toSet());
        if (!names.equals(workerNames(p, false))) {
            return Optional.of(name + ": Herd's status shows workers " + workerNames(p, false) + ", Zinit runs " + names);
        }
        Set<String> parked = stopped.stream().map(ServiceStatus::name).collect(Collectors.toSet());
        if (!parked.equals(workerNames(p, true))) {
            return Optional.of(name + ": Herd's status shows parked " + workerNames(p, true) + ", Zinit has stopped " + parked);
        }
        if (!parked.isEmpty() && !services.get(services.size() - 1).state().hasProcess()) {
            return Optional.of(name + ": " + parked + " parked, but the last service in Zinit's list has no process: "
                    + services.get(services.size() - 1));
        }
        return Optional.empty();
    }

    /** The pool's workers in Herd's status: the parked ones, or all others. */
    private static Set<String> workerNames(JsonNode pool, boolean parked) {
        Set<String> names = new java.util.HashSet<>();
        pool.path("workers").forEach(w -> {
            if (w.path("phase").asText().equals("Parked") == parked) {
                names.add(w.path("name").asText());
            }
        });
        return names;
    }

    /** Every running fixed-pool service runs the current template (its env carries the soak's generation number). */
    static Optional<String> onTemplate(SoakFleet fleet, int generation) {
        for (ServiceStatus s : SoakFleet.of(SoakFleet.FIXED, fleet.services().orElse(List.of())).stream().filter(SoakFleet::running).toList()) {
            String got = fleet.env(s.name()).getOrDefault("SOAK_GENERATION", "?");
            if (!got.equals(Integer.toString(generation))) {
                return Optional.of(s.name() + " runs template generation " + got + ", not " + generation);
            }
        }
        return Optional.empty();
    }
}
