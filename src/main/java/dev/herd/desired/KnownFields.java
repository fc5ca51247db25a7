package dev.herd.desired;

import java.util.List;
import java.util.Map;

/**
 * The fields of every mapping in a WorkerPool document, by path. The parser rejects any other key
 * (with a "did you mean"), and the schema test checks {@code docs/desired-state.schema.json} lists
 * exactly these, so the two cannot drift apart.
 */
final class KnownFields {
    static final Map<String, List<String>> BY_PATH = Map.of(
            "", List.of("apiVersion", "kind", "metadata", "spec"),
            "metadata", List.of("name"),
            "spec", List.of("scriptType", "replicas", "template", "autoscaling", "health", "strategy", "queue"),
            "spec.template", List.of("exec", "test", "env", "after", "dir", "stopSignal", "shutdownTimeout",
                    "user", "group", "limits", "verify"),
            "spec.template.limits", List.of("memory", "cpu", "processes", "openFiles", "cpuTime", "addressSpace"),
            "spec.template.verify", List.of("sha256"),
            "spec.autoscaling", List.of("minReplicas", "maxReplicas", "targetQueueLengthPerReplica",
                    "activationQueueLength", "cooldown", "scaleUpStabilization", "scaleDownStabilization",
                    "tolerance", "maxScaleUpStep", "maxScaleDownStep", "stepPeriod", "fallbackReplicas",
                    "fallbackAfterFailures"),
            "spec.health", List.of("pingAfterIdle", "pingTimeout", "failureThreshold"),
            "spec.strategy", List.of("maxUnavailable", "maxSurge"));

    private KnownFields() {
    }

    static List<String> at(String path) {
        return BY_PATH.getOrDefault(path, List.of());
    }
}
