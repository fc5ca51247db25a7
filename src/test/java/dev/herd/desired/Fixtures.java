package dev.herd.desired;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Shared test input: a complete valid document and a parse shortcut. */
final class Fixtures {
    static final Path FILE = Path.of("pools.yaml");
    static final Map<String, String> ENV = Map.of("LOG_LEVEL", "debug", "EMPTY", "");

    static final String FULL = """
            apiVersion: herd/v1
            kind: WorkerPool
            metadata:
              name: osis
            spec:
              scriptType: osis
              replicas: 2
              template:
                exec: ["/usr/local/bin/osis_worker", "--redis-url", "{{redisUrl}}", "--worker-id", "{{workerId}}"]
                test: "/usr/local/bin/osis_worker --health-check"
                env: {RUST_LOG: info, WORKER_TYPE: osis}
                after: [redis]
                dir: /var/lib/osis
                stopSignal: SIGTERM
                shutdownTimeout: 30s
              autoscaling:
                minReplicas: 1
                maxReplicas: 10
                targetQueueLengthPerReplica: 5
              health:
                pingAfterIdle: 10m
                pingTimeout: 5s
                failureThreshold: 3
            """;

    static final String MINIMAL = """
            apiVersion: herd/v1
            kind: WorkerPool
            metadata: {name: sal}
            spec:
              template:
                exec: ["/bin/sal", "{{workerId}}"]
            """;

    private Fixtures() {
    }

    static FileScan parse(String yaml) {
        return PoolFileParser.parse(FILE, yaml, ENV);
    }

    static WorkerPool pool(String yaml) {
        FileScan scan = parse(yaml);
        List<ConfigError> errors = scan.errors();
        if (!errors.isEmpty()) {
            throw new AssertionError("expected a valid document, got " + errors);
        }
        return scan.documents().get(0).pool().orElseThrow();
    }

    /** The toString of every error of {@code yaml}, sorted. */
    static List<String> errors(String yaml) {
        return parse(yaml).errors().stream().sorted().map(ConfigError::toString).toList();
    }
}
