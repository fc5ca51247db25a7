package dev.herd.desired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PoolFileParserTest {

    @Test
    void readsTheIssueExampleIntoRecords() {
        WorkerPool pool = Fixtures.pool(Fixtures.FULL);

        assertThat(pool.name()).isEqualTo("osis");
        PoolSpec spec = pool.spec();
        assertThat(spec.scriptType()).isEqualTo("osis");
        assertThat(spec.replicas()).isEqualTo(2);
        WorkerTemplate t = spec.template();
        assertThat(t.exec()).isEqualTo(new Exec.Argv(List.of("/usr/local/bin/osis_worker", "--redis-url",
                "{{redisUrl}}", "--worker-id", "{{workerId}}")));
        assertThat(t.test()).contains("/usr/local/bin/osis_worker --health-check");
        assertThat(t.env()).containsExactly(Map.entry("RUST_LOG", "info"), Map.entry("WORKER_TYPE", "osis"));
        assertThat(t.after()).containsExactly("redis");
        assertThat(t.dir()).contains("/var/lib/osis");
        assertThat(t.stopSignal()).isEqualTo("SIGTERM");
        assertThat(t.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
        Autoscaling a = spec.autoscaling().orElseThrow();
        assertThat(a).isEqualTo(Autoscaling.between(1, 10));
        assertThat(spec.health()).isEqualTo(HealthSpec.DEFAULT);
        assertThat(spec.strategy()).isEqualTo(Strategy.DEFAULT);
    }

    @Test
    void fillsEveryDefault() {
        PoolSpec spec = Fixtures.pool(Fixtures.MINIMAL).spec();

        assertThat(spec.scriptType()).isEqualTo("sal");
        assertThat(spec.replicas()).isEqualTo(Defaults.REPLICAS);
        assertThat(spec.autoscaling()).isEmpty();
        assertThat(spec.health()).isEqualTo(HealthSpec.DEFAULT);
        assertThat(spec.strategy()).isEqualTo(Strategy.DEFAULT);
        assertThat(spec.template()).isEqualTo(WorkerTemplate.of(new Exec.Argv(List.of("/bin/sal", "{{workerId}}"))));
    }

    @Test
    void spelledOutDefaultsAndReorderedKeysGiveEqualRecords() {
        String explicit = """
                kind: WorkerPool
                apiVersion: herd/v1
                spec:
                  strategy: {maxSurge: 25%, maxUnavailable: "25%"}
                  health: {failureThreshold: 3, pingTimeout: 5000ms, pingAfterIdle: 600s}
                  template:
                    stopSignal: SIGTERM
                    shutdownTimeout: 0m30s
                    exec: ["/bin/sal", "{{ workerId }}"]
                  replicas: 1
                  scriptType: sal
                metadata: {name: sal}
                """;
        WorkerPool a = Fixtures.pool(Fixtures.MINIMAL);
        WorkerPool b = Fixtures.pool(explicit);

        assertThat(b).isEqualTo(a).hasSameHashCodeAs(a);
    }

    @Test
    void autoscalingStartsAtMinReplicasUnlessReplicasIsGiven() {
        String yaml = Fixtures.MINIMAL + "  autoscaling: {minReplicas: 2, maxReplicas: 4}\n";
        assertThat(Fixtures.pool(yaml).spec().replicas()).isEqualTo(2);
        assertThat(Fixtures.pool(yaml + "  replicas: 3\n").spec().replicas()).isEqualTo(3);
    }

    @Test
    void readsEveryDocumentOfAFile() {
        FileScan scan = Fixtures.parse(Fixtures.FULL + "---\n" + Fixtures.MINIMAL + "---\n");

        assertThat(scan.errors()).isEmpty();
        assertThat(scan.complete()).isTrue();
        assertThat(scan.documents()).map(d -> d.name().orElseThrow()).containsExactly("osis", "sal");
    }

    @Test
    void aFileOfCommentsIsCompleteAndEmpty() {
        FileScan scan = Fixtures.parse("# no pools here any more\n");

        assertThat(scan.errors()).isEmpty();
        assertThat(scan.complete()).isTrue();
        assertThat(scan.documents()).isEmpty();
    }

    @Test
    void readsTheLaterFeaturesFields() {
        String yaml = """
                apiVersion: herd/v1
                kind: WorkerPool
                metadata: {name: py}
                spec:
                  template:
                    exec: "/opt/py/worker --id {{workerId}}"
                    user: worker
                    group: "1000"
                    limits: {memory: 512Mi, cpu: 250m, processes: 64, openFiles: 1024, cpuTime: 1h, addressSpace: 2Gi}
                    verify: {sha256: ABCDEF0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789}
                  autoscaling:
                    minReplicas: 0
                    maxReplicas: 8
                    activationQueueLength: 2
                    cooldown: 2m
                    scaleUpStabilization: 0
                    scaleDownStabilization: 1m30s
                    tolerance: 5%
                    maxScaleUpStep: 4
                    maxScaleDownStep: 50%
                    stepPeriod: 10s
                    fallbackReplicas: 2
                    fallbackAfterFailures: 5
                """;
        WorkerTemplate t = Fixtures.pool(yaml).spec().template();
        Autoscaling a = Fixtures.pool(yaml).spec().autoscaling().orElseThrow();

        assertThat(t.exec()).isEqualTo(new Exec.Line("/opt/py/worker --id {{workerId}}"));
        assertThat(t.user()).contains("worker");
        assertThat(t.group()).contains("1000");
        assertThat(t.limits()).isEqualTo(new Limits(Optional.of(512L << 20), Optional.of(250L), Optional.of(64L), Optional.of(1024L),
                Optional.of(Duration.ofHours(1)), Optional.of(2L << 30)));
        assertThat(t.verifySha256()).contains("abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789");
        assertThat(a).isEqualTo(new Autoscaling(0, 8, 5, 2, Duration.ofMinutes(2), Duration.ZERO,
                Duration.ofSeconds(90), 5, Optional.of(new IntOrPercent.Count(4)), Optional.of(new IntOrPercent.Percent(50)),
                Duration.ofSeconds(10), Optional.of(2), 5));
    }

    @Test
    void expandsEnvironmentReferencesWhenReading() {
        String yaml = Fixtures.MINIMAL.replace("[\"/bin/sal\", \"{{workerId}}\"]",
                "[\"/bin/sal\", \"--log=${LOG_LEVEL}\", \"${UNSET:-fallback}\", \"${EMPTY:-was empty}\", \"$${LITERAL}\"]");
        assertThat(Fixtures.pool(yaml).spec().template().exec()).isEqualTo(
                new Exec.Argv(List.of("/bin/sal", "--log=debug", "fallback", "was empty", "${LITERAL}")));
    }

    @Test
    void anEnvironmentValueInACommandLineStaysOneWord() {
        FileScan scan = PoolFileParser.parse(Fixtures.FILE, Fixtures.MINIMAL.replace(
                "[\"/bin/sal\", \"{{workerId}}\"]", "\"/bin/sal --name ${NAME}\""), Map.of("NAME", "a; rm -rf /"));
        assertThat(scan.documents().get(0).pool().orElseThrow().spec().template().exec())
                .isEqualTo(new Exec.Line("/bin/sal --name 'a; rm -rf /'"));
    }

    @Test
    void rendersPlaceholdersInsideOneArgument() {
        WorkerTemplate t = Fixtures.pool(Fixtures.FULL).spec().template();
        Map<String, String> vars = Placeholders.forWorker("osis", 3, "redis://h:1 --evil", "/opt/herd");

        assertThat(t.render(vars)).isEqualTo(new Exec.Argv(List.of("/usr/local/bin/osis_worker", "--redis-url",
                "redis://h:1 --evil", "--worker-id", "osis-3")));
        Exec line = new Exec.Line("/w --url {{redisUrl}} --home {{herdHome}}/x --n {{ordinal}} --p {{pool}}");
        assertThat(line.render(vars)).isEqualTo(
                new Exec.Line("/w --url 'redis://h:1 --evil' --home /opt/herd/x --n 3 --p osis"));
        assertThat(new Exec.Line("echo {{pool}}").render(Map.of("pool", "it's {{workerId}}")))
                .isEqualTo(new Exec.Line("echo 'it'\\''s {{workerId}}'"));
        assertThatThrownBy(() -> line.render(Map.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no value for placeholder {{redisUrl}}");
    }

    @Test
    void rendersTestEnvAndDir() {
        String yaml = Fixtures.MINIMAL + "    test: \"/bin/sal --ping {{workerId}}\"\n"
                + "    env: {WORKER: \"{{workerId}}\"}\n    dir: \"{{herdHome}}/run/{{pool}}\"\n";
        WorkerTemplate t = Fixtures.pool(yaml).spec().template();
        Map<String, String> vars = Placeholders.forWorker("sal", 0, "redis://127.0.0.1:6379", "/opt/herd");

        assertThat(t.renderTest(vars)).contains("/bin/sal --ping sal-0");
        assertThat(t.renderEnv(vars)).containsExactly(Map.entry("WORKER", "sal-0"));
        assertThat(t.renderDir(vars)).contains("/opt/herd/run/sal");
    }
}
