package dev.herd.desired;

import java.util.Map;
import java.util.Optional;

/** Reads {@code spec}: counts, autoscaling, health and strategy here; the template in {@link TemplateDecoder}. */
final class SpecDecoder {
    private final MappingReader spec;
    private final Problems problems;
    private final Map<String, String> environment;

    SpecDecoder(MappingReader spec, Problems problems, Map<String, String> environment) {
        this.spec = spec;
        this.problems = problems;
        this.environment = environment;
    }

    /** The spec, or empty when anything in it is wrong (the errors are in {@code problems}). */
    Optional<PoolSpec> decode(String scriptType) {
        int before = problems.count();
        Optional<Integer> replicas = spec.integer("replicas", 0);
        Optional<WorkerTemplate> template = spec.require("template", "add template: with at least exec")
                ? spec.mapping("template").flatMap(t -> new TemplateDecoder(t, problems, environment).decode())
                : Optional.empty();
        Optional<Autoscaling> autoscaling = spec.mapping("autoscaling").flatMap(this::autoscaling);
        HealthSpec health = spec.mapping("health").map(this::health).orElse(HealthSpec.DEFAULT);
        Strategy strategy = spec.mapping("strategy").map(this::strategy).orElse(Strategy.DEFAULT);
        QueueMode queue = spec.text("queue").flatMap(this::queueMode).orElse(Defaults.QUEUE);
        autoscaling.ifPresent(a -> replicas.ifPresent(r -> checkReplicasInRange(r, a)));
        if (problems.count() > before || template.isEmpty()) {
            return Optional.empty();
        }
        int count = replicas.orElse(autoscaling.map(Autoscaling::minReplicas).orElse(Defaults.REPLICAS));
        return Optional.of(new PoolSpec(scriptType, count, template.get(), autoscaling, health, strategy, queue));
    }

    private Optional<QueueMode> queueMode(MappingReader.Text text) {
        Optional<QueueMode> mode = QueueMode.parse(text.value());
        if (mode.isEmpty()) {
            problems.add(text.at(), text.field(), "unknown queue mode \"" + text.value() + "\"",
                    "use pool (workers share one queue) or worker (Herd hands each job to one worker's own queue)");
        }
        return mode;
    }

    private void checkReplicasInRange(int replicas, Autoscaling a) {
        if (replicas < a.minReplicas() || replicas > a.maxReplicas()) {
            problems.add(spec.get("replicas").orElseThrow().at(), spec.field("replicas"),
                    "replicas (" + replicas + ") is outside the autoscaling range " + a.minReplicas() + ".." + a.maxReplicas(),
                    "remove replicas to let autoscaling decide, or set it between minReplicas and maxReplicas");
        }
    }

    private Optional<Autoscaling> autoscaling(MappingReader a) {
        int before = problems.count();
        a.require("maxReplicas", "add maxReplicas: the most workers this pool may have");
        int min = a.integer("minReplicas", 0).orElse(Defaults.MIN_REPLICAS);
        Optional<Integer> max = a.integer("maxReplicas", 1);
        Optional<IntOrPercent> tolerance = a.intOrPercent("tolerance");
        tolerance.filter(t -> t instanceof IntOrPercent.Count).ifPresent(t -> problems.add(a.get("tolerance").orElseThrow().at(),
                a.field("tolerance"), "must be a percentage, got " + t.text(), "write a percentage such as \"10%\""));
        Optional<Integer> fallback = a.integer("fallbackReplicas", 0);
        Autoscaling result = new Autoscaling(min, max.orElse(Math.max(min, 1)),
                a.integer("targetQueueLengthPerReplica", 1).orElse(Defaults.TARGET_QUEUE_LENGTH_PER_REPLICA),
                a.integer("activationQueueLength", 0).orElse(Defaults.ACTIVATION_QUEUE_LENGTH),
                a.duration("cooldown", false).orElse(Defaults.COOLDOWN),
                a.duration("scaleUpStabilization", false).orElse(Defaults.SCALE_UP_STABILIZATION),
                a.duration("scaleDownStabilization", false).orElse(Defaults.SCALE_DOWN_STABILIZATION),
                tolerance.map(t -> t.resolve(100, false)).orElse(Defaults.TOLERANCE_PERCENT),
                a.intOrPercent("maxScaleUpStep"), a.intOrPercent("maxScaleDownStep"),
                a.duration("stepPeriod", true).orElse(Defaults.STEP_PERIOD),
                fallback, a.integer("fallbackAfterFailures", 1).orElse(Defaults.FALLBACK_AFTER_FAILURES));
        if (max.isPresent() && min > max.get()) {
            problems.add(a.get("minReplicas").orElseThrow().at(), a.field("minReplicas"),
                    "minReplicas (" + min + ") is greater than maxReplicas (" + max.get() + ")",
                    "lower minReplicas or raise maxReplicas");
        }
        if (max.isPresent() && fallback.isPresent() && fallback.get() > max.get()) {
            problems.add(a.get("fallbackReplicas").orElseThrow().at(), a.field("fallbackReplicas"),
                    "fallbackReplicas (" + fallback.get() + ") is greater than maxReplicas (" + max.get() + ")",
                    "use a count between 0 and maxReplicas");
        }
        return problems.count() > before ? Optional.empty() : Optional.of(result);
    }

    private HealthSpec health(MappingReader h) {
        return new HealthSpec(
                h.duration("pingAfterIdle", true).orElse(Defaults.PING_AFTER_IDLE),
                h.duration("pingTimeout", true).orElse(Defaults.PING_TIMEOUT),
                h.integer("failureThreshold", 1).orElse(Defaults.FAILURE_THRESHOLD));
    }

    private Strategy strategy(MappingReader s) {
        Strategy strategy = new Strategy(s.intOrPercent("maxUnavailable").orElse(Defaults.MAX_UNAVAILABLE),
                s.intOrPercent("maxSurge").orElse(Defaults.MAX_SURGE));
        if (isZero(strategy.maxUnavailable()) && isZero(strategy.maxSurge())) {
            problems.add(s.at(), s.field("maxUnavailable"), "maxUnavailable and maxSurge cannot both be 0",
                    "a rollout could never replace a worker; allow maxSurge: 1 or maxUnavailable: 1");
        }
        return strategy;
    }

    private static boolean isZero(IntOrPercent value) {
        return value.resolve(100, true) == 0;
    }
}
