package dev.herd.desired;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Turns one YAML document into a {@link PoolDocument}: the envelope, metadata and spec, every error reported. */
final class PoolDecoder {
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern SCRIPT_TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

    private final Problems problems;
    private final Map<String, String> environment;

    private PoolDecoder(Problems problems, Map<String, String> environment) {
        this.problems = problems;
        this.environment = environment;
    }

    static PoolDocument decode(Node document, Path file, Map<String, String> environment) {
        return new PoolDecoder(new Problems(file), environment).decode(document);
    }

    private PoolDocument decode(Node document) {
        Optional<MappingReader> root = MappingReader.of(document, "", problems);
        if (root.isEmpty()) {
            return result(Optional.empty(), document.at(), Optional.empty(), document.at(), Optional.empty());
        }
        checkEnvelope(root.get());
        Optional<MappingReader.Text> name = root.get().require("metadata", "add metadata: with the pool's name")
                ? root.get().mapping("metadata").flatMap(this::name) : Optional.empty();
        Optional<String> poolName = name.map(MappingReader.Text::value);
        Location nameAt = name.map(MappingReader.Text::at).orElse(document.at());
        if (!root.get().require("spec", "add spec: with at least a template")) {
            return result(poolName, nameAt, Optional.empty(), nameAt, Optional.empty());
        }
        Optional<MappingReader> spec = root.get().mapping("spec");
        Optional<MappingReader.Text> scriptType = spec.flatMap(s -> s.text("scriptType")).filter(this::validScriptType);
        Optional<PoolSpec> poolSpec = spec.flatMap(s -> new SpecDecoder(s, problems, environment)
                .decode(scriptType.map(MappingReader.Text::value).or(() -> poolName).orElse("")));
        Optional<String> servedType = scriptType.map(MappingReader.Text::value).or(() -> poolName);
        Location typeAt = scriptType.map(MappingReader.Text::at).orElse(nameAt);
        Optional<WorkerPool> pool = poolName.flatMap(n -> poolSpec.map(s -> new WorkerPool(n, s)));
        return result(poolName, nameAt, servedType, typeAt, pool);
    }

    private PoolDocument result(Optional<String> name, Location nameAt, Optional<String> scriptType,
                                Location scriptTypeAt, Optional<WorkerPool> pool) {
        boolean valid = problems.count() == 0 && pool.isPresent();
        return new PoolDocument(problems.file(), name, nameAt, scriptType, scriptTypeAt,
                valid ? pool : Optional.empty(), problems.list());
    }

    private void checkEnvelope(MappingReader root) {
        if (root.require("apiVersion", "add apiVersion: " + Defaults.API_VERSION)) {
            root.text("apiVersion").filter(t -> !t.value().equals(Defaults.API_VERSION)).ifPresent(t -> problems.add(
                    t.at(), t.field(), "unsupported apiVersion \"" + t.value() + "\"", "use apiVersion: " + Defaults.API_VERSION));
        }
        if (root.require("kind", "add kind: " + Defaults.KIND)) {
            root.text("kind").filter(t -> !t.value().equals(Defaults.KIND)).ifPresent(t -> problems.add(
                    t.at(), t.field(), "unsupported kind \"" + t.value() + "\"", "use kind: " + Defaults.KIND));
        }
    }

    private Optional<MappingReader.Text> name(MappingReader metadata) {
        if (!metadata.require("name", "add name: with the pool's name, e.g. osis")) {
            return Optional.empty();
        }
        return metadata.text("name").filter(t -> {
            if (t.value().length() > Defaults.MAX_NAME_LENGTH) {
                problems.add(t.at(), t.field(), "\"" + t.value() + "\" is " + t.value().length()
                        + " characters long, at most " + Defaults.MAX_NAME_LENGTH + " are allowed", "use a shorter name");
                return false;
            }
            if (!DNS_LABEL.matcher(t.value()).matches()) {
                problems.add(t.at(), t.field(), "\"" + t.value() + "\" is not a valid pool name",
                        "use lowercase letters, digits and '-', starting and ending with a letter or digit");
                return false;
            }
            return true;
        });
    }

    private boolean validScriptType(MappingReader.Text t) {
        if (SCRIPT_TYPE.matcher(t.value()).matches()) {
            return true;
        }
        problems.add(t.at(), t.field(), "\"" + t.value() + "\" is not a valid script type",
                "use up to 63 letters, digits, '_', '.' and '-' (it becomes part of Redis keys)");
        return false;
    }
}
