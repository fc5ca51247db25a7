package dev.herd.desired;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One test per kind of error, each with the exact text a user sees. */
class ConfigErrorMessagesTest {
    private static final String HEAD = "apiVersion: herd/v1\nkind: WorkerPool\nmetadata: {name: osis}\n";

    private static List<String> specErrors(String spec) {
        return Fixtures.errors(HEAD + "spec:\n" + spec);
    }

    @Test
    void printsInTheFileLineColumnFieldMessageHintForm() {
        ConfigError e = new ConfigError(Path.of("a/b.yaml"), 3, 7, "spec.replicas", "must be at least 0, got -1",
                "use a number from 0 up");
        assertThat(e).hasToString("a/b.yaml:3:7: spec.replicas: must be at least 0, got -1 (use a number from 0 up)");
    }

    @Test
    void unknownFieldSuggestsTheClosestKnownOne() {
        assertThat(specErrors("  replica: 2\n  template: {exec: [x]}\n  zzzzzz: 1\n")).containsExactly(
                "pools.yaml:5:3: spec.replica: unknown field \"replica\" (did you mean \"replicas\"?)",
                "pools.yaml:7:3: spec.zzzzzz: unknown field \"zzzzzz\" (known fields here: scriptType, replicas,"
                        + " template, autoscaling, health, strategy, queue)");
    }

    @Test
    void repeatedField() {
        assertThat(specErrors("  replicas: 1\n  replicas: 2\n  template: {exec: [x]}\n")).containsExactly(
                "pools.yaml:6:3: spec.replicas: field \"replicas\" appears twice (the first one is at line 5; keep one)");
    }

    @Test
    void wrongTypes() {
        assertThat(specErrors("""
                  replicas: "2"
                  template:
                    exec: {a: b}
                    env: [a]
                    after: redis
                  health: 5
                """)).containsExactly(
                "pools.yaml:5:13: spec.replicas: expected an integer, got a string (write a whole number without quotes)",
                "pools.yaml:7:11: spec.template.exec: expected a list of arguments or a command line, got a mapping"
                        + " (write [\"/path/to/program\", \"--flag\", \"value\"])",
                "pools.yaml:8:10: spec.template.env: expected a mapping, got a list"
                        + " (write one NAME: value per line indented below it)",
                "pools.yaml:9:12: spec.template.after: expected a list, got a string (write [a, b] or one \"- item\" per line)",
                "pools.yaml:10:11: spec.health: expected a mapping, got an integer (write the fields of health indented below it)");
    }

    @Test
    void documentThatIsNotAMapping() {
        assertThat(Fixtures.errors("- a\n- b\n")).containsExactly(
                "pools.yaml:1:1: document: expected a mapping, got a list"
                        + " (a WorkerPool document is a mapping that starts with apiVersion: herd/v1)");
    }

    @Test
    void requiredFields() {
        assertThat(Fixtures.errors("metadata: {}\nspec:\n  template: {}\n")).containsExactly(
                "pools.yaml:1:1: apiVersion: is required (add apiVersion: herd/v1)",
                "pools.yaml:1:1: kind: is required (add kind: WorkerPool)",
                "pools.yaml:1:11: metadata.name: is required (add name: with the pool's name, e.g. osis)",
                "pools.yaml:3:13: spec.template.exec: is required (add exec: the program and its arguments as a list)");
    }

    @Test
    void countsAreNotNegative() {
        assertThat(specErrors("  replicas: -1\n  template: {exec: [x]}\n")).containsExactly(
                "pools.yaml:5:13: spec.replicas: must be at least 0, got -1 (use a number from 0 up)");
    }

    @Test
    void numbersBeyondAnIntAreOutOfRange() {
        assertThat(specErrors("  replicas: 3000000000\n  template: {exec: [x]}\n")).containsExactly(
                "pools.yaml:5:13: spec.replicas: must be at most 2147483647, got 3000000000 (use a smaller number)");
    }

    @Test
    void minReplicasAboveMaxReplicas() {
        assertThat(specErrors("  template: {exec: [x]}\n  autoscaling: {minReplicas: 5, maxReplicas: 2}\n")).containsExactly(
                "pools.yaml:6:30: spec.autoscaling.minReplicas: minReplicas (5) is greater than maxReplicas (2)"
                        + " (lower minReplicas or raise maxReplicas)");
    }

    @Test
    void replicasContradictingAutoscaling() {
        assertThat(specErrors("  replicas: 20\n  template: {exec: [x]}\n  autoscaling: {maxReplicas: 10}\n")).containsExactly(
                "pools.yaml:5:13: spec.replicas: replicas (20) is outside the autoscaling range 1..10"
                        + " (remove replicas to let autoscaling decide, or set it between minReplicas and maxReplicas)");
    }

    @Test
    void unknownQueueMode() {
        assertThat(specErrors("  template: {exec: [x]}\n  queue: workers\n")).containsExactly(
                "pools.yaml:6:10: spec.queue: unknown queue mode \"workers\""
                        + " (use pool (workers share one queue) or worker (Herd hands each job to one worker's own queue))");
    }

    @Test
    void strategyThatCouldNeverMove() {
        assertThat(specErrors("  template: {exec: [x]}\n  strategy: {maxSurge: 0, maxUnavailable: 0%}\n")).containsExactly(
                "pools.yaml:6:13: spec.strategy.maxUnavailable: maxUnavailable and maxSurge cannot both be 0"
                        + " (a rollout could never replace a worker; allow maxSurge: 1 or maxUnavailable: 1)");
    }

    @Test
    void badPercentage() {
        assertThat(specErrors("  template: {exec: [x]}\n  strategy: {maxSurge: 150%}\n")).containsExactly(
                "pools.yaml:6:24: spec.strategy.maxSurge: \"150%\" is not a count or a percentage"
                        + " (write a whole number such as 1 or a percentage from 0% to 100% such as \"25%\")");
    }

    @Test
    void badDurations() {
        assertThat(specErrors("  template: {exec: [x], shutdownTimeout: 30}\n  health: {pingAfterIdle: 0s}\n")).containsExactly(
                "pools.yaml:5:42: spec.template.shutdownTimeout: \"30\" is not a duration"
                        + " (write a number with a unit: 500ms, 30s, 10m or 1h)",
                "pools.yaml:6:27: spec.health.pingAfterIdle: must be longer than 0s (write a duration such as 30s)");
    }

    @Test
    void apiVersionAndKind() {
        assertThat(Fixtures.errors("apiVersion: herd/v2\nkind: Deployment\nmetadata: {name: osis}\n"
                + "spec: {template: {exec: [x]}}\n")).containsExactly(
                "pools.yaml:1:13: apiVersion: unsupported apiVersion \"herd/v2\" (use apiVersion: herd/v1)",
                "pools.yaml:2:7: kind: unsupported kind \"Deployment\" (use kind: WorkerPool)");
    }

    @Test
    void poolNames() {
        String tooLong = "a".repeat(41);
        assertThat(Fixtures.errors(HEAD.replace("osis", "Osis_1") + "spec: {template: {exec: [x]}}\n---\n"
                + HEAD.replace("osis", tooLong) + "spec: {template: {exec: [x]}}\n")).containsExactly(
                "pools.yaml:3:18: metadata.name: \"Osis_1\" is not a valid pool name"
                        + " (use lowercase letters, digits and '-', starting and ending with a letter or digit)",
                "pools.yaml:8:18: metadata.name: \"" + tooLong + "\" is 41 characters long, at most 40 are allowed"
                        + " (use a shorter name)");
    }

    @Test
    void unknownPlaceholders() {
        assertThat(specErrors("  template: {exec: [x, \"{{workerID}}\", \"{{nope}}\", \"{{pool\"]}\n")).containsExactly(
                "pools.yaml:5:24: spec.template.exec[1]: unknown placeholder {{workerID}} (did you mean {{workerId}}?)",
                "pools.yaml:5:40: spec.template.exec[2]: unknown placeholder {{nope}}"
                        + " (known placeholders: {{herdHome}}, {{ordinal}}, {{pool}}, {{redisUrl}}, {{workerId}})",
                "pools.yaml:5:52: spec.template.exec[3]: unclosed placeholder in \"{{pool\" (write placeholders as {{name}})");
    }

    @Test
    void environmentReferences() {
        assertThat(specErrors("  template: {exec: [x, \"${UNSET}\", \"${\"]}\n")).containsExactly(
                "pools.yaml:5:24: spec.template.exec[1]: environment variable UNSET is not set"
                        + " (set UNSET or write ${UNSET:-default})",
                "pools.yaml:5:36: spec.template.exec[2]: malformed environment reference in \"${\""
                        + " (write ${NAME} or ${NAME:-default}, or $${ for a literal ${)");
    }

    @Test
    void unknownSignal() {
        assertThat(specErrors("  template: {exec: [x], stopSignal: SIGTERN}\n")).containsExactly(
                "pools.yaml:5:37: spec.template.stopSignal: unknown signal \"SIGTERN\" (did you mean SIGTERM?)");
        assertThat(specErrors("  template: {exec: [x], stopSignal: term}\n")).containsExactly(
                "pools.yaml:5:37: spec.template.stopSignal: unknown signal \"term\" (did you mean SIGTERM?)");
        assertThat(specErrors("  template: {exec: [x], stopSignal: SIGSEGVXX}\n")).containsExactly(
                "pools.yaml:5:37: spec.template.stopSignal: unknown signal \"SIGSEGVXX\" (use one of SIGTERM, SIGINT,"
                        + " SIGHUP, SIGQUIT, SIGKILL, SIGUSR1, SIGUSR2, SIGABRT, SIGALRM, SIGPWR, SIGWINCH)");
    }

    @Test
    void emptyCommand() {
        assertThat(specErrors("  template: {exec: []}\n")).containsExactly(
                "pools.yaml:5:20: spec.template.exec: must not be empty (give the program and its arguments,"
                        + " e.g. [\"/usr/local/bin/worker\", \"--worker-id\", \"{{workerId}}\"])");
    }

    @Test
    void badAfterServiceAndEnvName() {
        assertThat(specErrors("  template: {exec: [x], after: [\"a b\"], env: {1X: y}}\n")).containsExactly(
                "pools.yaml:5:33: spec.template.after[0]: a service name starts with a letter or digit and has only"
                        + " letters, digits and . _ @ - (no '/', white space or control characters)"
                        + " (name a Zinit service, e.g. redis)",
                "pools.yaml:5:47: spec.template.env.1X: \"1X\" is not a valid environment variable name"
                        + " (use letters, digits and '_', not starting with a digit)");
    }

    @Test
    void yamlAliasesAreRefused() {
        assertThat(specErrors("  template: {exec: [x], dir: &d /tmp, test: *d}\n")).containsExactly(
                "pools.yaml:5:45: spec.template.test: YAML aliases are not supported (write the value out in full)");
    }

    @Test
    void yamlSyntaxError() {
        assertThat(Fixtures.errors(HEAD + "spec:\n  template:\n    exec: [\"a\", \"b\n")).containsExactly(
                "pools.yaml:7:1: yaml: YAML syntax error: found unexpected end of stream"
                        + " (while scanning a quoted scalar at line 6)");
    }

    @Test
    void emptyFile() {
        assertThat(Fixtures.errors("")).containsExactly(
                "pools.yaml:1:1: file: file is empty (pools it defined are kept; delete the file to remove them)");
    }

    @Test
    void duplicatePoolNamesAcrossFilesNameBothFiles() {
        String pool = HEAD + "spec: {template: {exec: [x]}}\n";
        ScanResult scan = ScanResult.of(List.of(
                PoolFileParser.parse(Path.of("a.yaml"), pool, Map.of()),
                PoolFileParser.parse(Path.of("b.yaml"), "# moved here\n" + pool, Map.of())));

        assertThat(scan.errors()).map(ConfigError::toString).containsExactly(
                "a.yaml:3:18: metadata.name: pool \"osis\" is also defined in b.yaml:4"
                        + " (pool names are unique across all files; rename or remove one)",
                "b.yaml:4:18: metadata.name: pool \"osis\" is also defined in a.yaml:3"
                        + " (pool names are unique across all files; rename or remove one)");
        assertThat(scan.validPools()).isEmpty();
    }

    @Test
    void oneScriptTypeServedByTwoPools() {
        String a = HEAD + "spec: {template: {exec: [x]}}\n";
        String b = HEAD.replace("osis", "osis2") + "spec: {scriptType: osis, template: {exec: [x]}}\n";
        ScanResult scan = ScanResult.of(List.of(PoolFileParser.parse(Path.of("a.yaml"), a, Map.of()),
                PoolFileParser.parse(Path.of("b.yaml"), b, Map.of())));

        assertThat(scan.errors()).map(ConfigError::toString).containsExactly(
                "a.yaml:3:18: spec.scriptType: script type \"osis\" is also served by pool \"osis2\" (b.yaml:4)"
                        + " (each script type is routed to one pool; give one of them another scriptType)",
                "b.yaml:4:20: spec.scriptType: script type \"osis\" is also served by pool \"osis\" (a.yaml:3)"
                        + " (each script type is routed to one pool; give one of them another scriptType)");
    }

    @Test
    void cpuQuotasAreKubernetesQuantitiesTheKernelCanSet() {
        for (String bad : List.of("5m", "0.0001", "1.5m", "two", "-1", "2000000")) {
            assertThat(specErrors("  template: {exec: [x], limits: {cpu: \"" + bad + "\"}}\n")).singleElement().asString()
                    .contains("spec.template.limits.cpu: \"" + bad + "\" is not a CPU quota Herd can set")
                    .contains("write cores (0.5, 2) or thousandths of a core (250m), from 10m to 1000 cores");
        }
        for (String good : List.of("10m", "250m", "0.5", "2", "1.25")) {
            assertThat(specErrors("  template: {exec: [x], limits: {cpu: \"" + good + "\"}}\n")).as(good).isEmpty();
        }
    }

    @Test
    void laterFeaturesFields() {
        assertThat(specErrors("  template: {exec: [x], user: \"a b\", limits: {memory: 12Q}, verify: {sha256: abc}}\n"
                + "  autoscaling: {maxReplicas: 3, tolerance: 5, fallbackReplicas: 4}\n")).containsExactly(
                "pools.yaml:5:31: spec.template.user: \"a b\" is not a valid user or group (give a name or a numeric id)",
                "pools.yaml:5:55: spec.template.limits.memory: \"12Q\" is not a memory size"
                        + " (write bytes or a size such as 512Mi or 2Gi)",
                "pools.yaml:5:78: spec.template.verify.sha256: \"abc\" is not a SHA-256 digest"
                        + " (give the 64 hex digits sha256sum prints)",
                "pools.yaml:6:44: spec.autoscaling.tolerance: must be a percentage, got 5"
                        + " (write a percentage such as \"10%\")",
                "pools.yaml:6:65: spec.autoscaling.fallbackReplicas: fallbackReplicas (4) is greater than"
                        + " maxReplicas (3) (use a count between 0 and maxReplicas)");
    }

    @Test
    void everyErrorOfADocumentIsReportedAtOnce() {
        assertThat(specErrors("  replicas: -1\n  template: {exec: [], stopSignal: X}\n  health: {failureThreshold: 0}\n"))
                .hasSize(4);
    }
}
