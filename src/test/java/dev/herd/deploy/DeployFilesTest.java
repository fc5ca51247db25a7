package dev.herd.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.herd.desired.DesiredStateScanner;
import dev.herd.desired.ScanResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests, the systemd unit and the Containerfile, checked against each other and
 * against what Herd really serves and reads: the manifests against the Kubernetes schemas
 * (kubernetes-validate, installed by bin/install) and for the fields that matter; the unit with
 * {@code systemd-analyze verify} and for what it runs; the Containerfile for the settings the
 * manifests rely on. (That its COPY sources are the build's output is {@link ContainerfileJarIT}.)
 */
class DeployFilesTest {
    private static final Path DEPLOY = Path.of("deploy");
    private static final Path MANIFEST = DEPLOY.resolve("kubernetes/herd.yaml");
    private static final Path UNIT = DEPLOY.resolve("systemd/herd.service");
    private static final Path CONTAINERFILE = DEPLOY.resolve("container/Containerfile");
    private static final Path VALIDATOR = Path.of(System.getProperty("user.home"), ".local/share/herd/kubernetes-validate/bin/kubernetes-validate");

    @Test
    void theManifestsPassTheKubernetesSchemas() throws Exception {
        assertThat(VALIDATOR).as("kubernetes-validate (bin/install installs it)").isExecutable();
        Run run = run(List.of(VALIDATOR.toString(), "--strict", MANIFEST.toString()));
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("passed for resource configmap/herd-desired-state", "passed for resource deployment/herd",
                "passed for resource service/herd").doesNotContain("ERROR").doesNotContain("WARN");
    }

    @Test
    void theDeploymentWiresProbesStateSocketAndLimits() throws Exception {
        Map<String, JsonNode> byKind = documents();
        Map<String, String> image = containerfileEnv();
        JsonNode pod = byKind.get("Deployment").at("/spec/template/spec");
        JsonNode herd = pod.at("/containers/0");
        assertThat(herd.path("image").asText()).isNotBlank();

        int port = Integer.parseInt(applicationProperties().getProperty("quarkus.http.port"));
        JsonNode http = StreamSupport.stream(herd.path("ports").spliterator(), false)
                .filter(p -> p.path("containerPort").asInt() == port).findFirst().orElseThrow(() ->
                        new AssertionError("no containerPort " + port + " (quarkus.http.port) in " + herd.path("ports")));
        Map<String, String> probes = Map.of("livenessProbe", "/q/health/live", "readinessProbe", "/q/health/ready",
                "startupProbe", "/q/health/started");
        probes.forEach((probe, path) -> {
            JsonNode get = herd.path(probe).path("httpGet");
            assertThat(get.path("path").asText()).as(probe).isEqualTo(path);
            String probePort = get.path("port").asText();
            assertThat(probePort).as(probe + " port").isIn(http.path("name").asText(), Integer.toString(port));
        });
        assertThat(image).as("the image listens beyond loopback, or no probe reaches it").containsEntry("QUARKUS_HTTP_HOST", "0.0.0.0");
        assertThat(image.get("EXPOSE")).isEqualTo(Integer.toString(port));

        Map<String, JsonNode> volumes = new HashMap<>();
        pod.path("volumes").forEach(v -> volumes.put(v.path("name").asText(), v));
        Map<String, String> mounts = new HashMap<>();
        herd.path("volumeMounts").forEach(m -> mounts.put(m.path("mountPath").asText(), m.path("name").asText()));

        String stateDir = image.get("HERD_DESIRED_STATE_DIR");
        JsonNode stateVolume = volumes.get(mounts.get(stateDir));
        assertThat(stateVolume).as("a volume mounted at HERD_DESIRED_STATE_DIR " + stateDir).isNotNull();
        assertThat(stateVolume.path("configMap").path("name").asText()).isEqualTo(byKind.get("ConfigMap").at("/metadata/name").asText());

        String socket = image.get("HERD_ZINIT_SOCKET");
        JsonNode socketVolume = volumes.get(mounts.get(socket));
        assertThat(socketVolume).as("a volume mounted at HERD_ZINIT_SOCKET " + socket).isNotNull();
        assertThat(socketVolume.path("hostPath").path("type").asText()).isEqualTo("Socket");

        assertThat(herd.at("/resources/requests/cpu").asText()).isNotBlank();
        assertThat(herd.at("/resources/requests/memory").asText()).isNotBlank();
        assertThat(herd.at("/resources/limits/memory").asText()).isNotBlank();

        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.at("/securityContext/runAsUser").asText()).as("the image's USER").isEqualTo(image.get("USER"));
        assertThat(herd.at("/securityContext/allowPrivilegeEscalation").asBoolean(true)).isFalse();
        if (herd.at("/securityContext/readOnlyRootFilesystem").asBoolean()) {
            assertThat(volumes.get(mounts.get("/tmp"))).as("a writable /tmp for the JVM").isNotNull();
        }
        assertThat(env(herd)).containsKeys("QUARKUS_REDIS_HOSTS", "HERD_API_TOKEN");

        JsonNode service = byKind.get("Service");
        assertThat(service.at("/spec/ports/0/targetPort").asText()).isIn(http.path("name").asText(), Integer.toString(port));
        assertThat(service.at("/spec/selector")).isEqualTo(byKind.get("Deployment").at("/spec/template/metadata/labels"));
    }

    @Test
    void theConfigMapHoldsAValidDesiredState() throws Exception {
        JsonNode data = documents().get("ConfigMap").path("data");
        Path dir = Files.createTempDirectory("herd-configmap-");
        List<String> names = new ArrayList<>();
        data.fields().forEachRemaining(e -> {
            names.add(e.getKey());
            try {
                Files.writeString(dir.resolve(e.getKey()), e.getValue().asText());
            } catch (IOException ex) {
                throw new IllegalStateException(ex);
            }
        });
        assertThat(names).isNotEmpty().allMatch(n -> n.endsWith(".yaml"));
        ScanResult scan = new DesiredStateScanner(Map.of()).scan(dir);
        assertThat(scan.errors()).isEmpty();
        assertThat(scan.validPools()).hasSize(names.size());
    }

    @Test
    void theSystemdUnitVerifiesAndRunsTheJarAsTheImageDoes() throws Exception {
        Map<String, List<String>> unit = unitKeys(Files.readString(UNIT));
        assertThat(unit.get("Service.ExecStart")).singleElement().asString().contains("-jar /opt/herd/quarkus-run.jar");
        assertThat(unit.get("Service.Restart")).containsExactly("always");
        assertThat(unit.get("Service.Environment")).anyMatch(e -> e.startsWith("HERD_ZINIT_SOCKET="))
                .anyMatch(e -> e.startsWith("QUARKUS_REDIS_HOSTS=")).anyMatch(e -> e.startsWith("HERD_DESIRED_STATE_DIR="))
                .anyMatch(e -> e.startsWith("HERD_HOME=/opt/herd"));
        assertThat(unit.get("Install.WantedBy")).containsExactly("multi-user.target");
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        if (Files.isExecutable(analyze)) { // part of systemd; absent in minimal containers, where the parse above stands alone
            Run run = run(List.of(analyze.toString(), "verify", UNIT.toAbsolutePath().toString()));
            List<String> complaints = run.output().lines()
                    .filter(l -> Files.isExecutable(Path.of("/usr/bin/java")) || !l.contains("/usr/bin/java is not executable")).toList();
            assertThat(complaints).as("systemd-analyze verify").isEmpty();
        }
    }

    @Test
    void theContainerRunsTheJarItCopies() throws Exception {
        String text = Files.readString(CONTAINERFILE);
        Map<String, String> env = containerfileEnv();
        assertThat(env.get("WORKDIR")).isEqualTo("/opt/herd");
        assertThat(text).contains("ENTRYPOINT [\"java\", \"-XX:MaxRAMPercentage=50\", \"-jar\", \"/opt/herd/quarkus-run.jar\"]");
        assertThat(env).containsEntry("HERD_HOME", "/opt/herd").containsKey("HERD_LOG_JSON");
        // the reference worker's tools, for pools that run it (docs/jobs.md)
        assertThat(text).contains("redis-tools", "jq", "util-linux");
    }

    // --- reading the files

    private static Map<String, JsonNode> documents() throws IOException {
        Map<String, JsonNode> byKind = new LinkedHashMap<>();
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        try (var parser = yaml.getFactory().createParser(MANIFEST.toFile())) {
            yaml.readValues(parser, JsonNode.class).forEachRemaining(d -> byKind.put(d.path("kind").asText(), d));
        }
        assertThat(byKind).containsKeys("ConfigMap", "Deployment", "Service");
        return byKind;
    }

    private static Map<String, String> env(JsonNode container) {
        Map<String, String> env = new HashMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
        return env;
    }

    /** ENV entries of the Containerfile, and its WORKDIR, USER and EXPOSE under those names. */
    static Map<String, String> containerfileEnv() throws IOException {
        String text = Files.readString(CONTAINERFILE).replace("\\\n", " ");
        Map<String, String> env = new HashMap<>();
        for (String line : text.lines().map(String::strip).toList()) {
            String[] words = line.split("\\s+", 2);
            if (words.length < 2) {
                continue;
            }
            switch (words[0]) {
                case "ENV" -> {
                    Matcher m = Pattern.compile("(\\w+)=(\\S+)").matcher(words[1]);
                    while (m.find()) {
                        env.put(m.group(1), m.group(2));
                    }
                }
                case "WORKDIR", "USER", "EXPOSE" -> env.put(words[0], words[1].strip());
                default -> {
                }
            }
        }
        return env;
    }

    /** Section.Key to values, in order (a key may repeat, as Environment= does). */
    private static Map<String, List<String>> unitKeys(String text) {
        Map<String, List<String>> keys = new HashMap<>();
        String section = "";
        for (String line : text.lines().map(String::strip).toList()) {
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1);
            } else if (!line.isEmpty() && !line.startsWith("#") && line.contains("=")) {
                int eq = line.indexOf('=');
                keys.computeIfAbsent(section + "." + line.substring(0, eq), k -> new ArrayList<>()).add(line.substring(eq + 1));
            }
        }
        return keys;
    }

    private static Properties applicationProperties() throws IOException {
        Properties p = new Properties();
        try (var in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            p.load(in);
        }
        return p;
    }

    private record Run(int exit, String output) {
    }

    private static Run run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish in 60s");
        }
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes()));
    }
}
