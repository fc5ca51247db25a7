package dev.herd.desired;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Rules that span documents: a pool name is defined once, and a script type is served by one pool.
 * Every document involved gets the error (naming the others), so none of them wins by file order;
 * each such pool keeps its last good spec until the conflict is resolved.
 */
final class CrossFileChecks {
    private CrossFileChecks() {
    }

    static List<FileScan> apply(List<FileScan> files) {
        List<PoolDocument> all = files.stream().flatMap(f -> f.documents().stream()).toList();
        Map<PoolDocument, List<ConfigError>> extra = new LinkedHashMap<>();
        duplicates(all, PoolDocument::name).forEach(group -> group.forEach(d -> add(extra, d, nameError(d, group))));
        duplicates(all, PoolDocument::scriptType).stream()
                .filter(group -> group.stream().map(PoolDocument::name).distinct().count() > 1)
                .forEach(group -> group.forEach(d -> add(extra, d, scriptTypeError(d, group))));
        if (extra.isEmpty()) {
            return files;
        }
        return files.stream().map(f -> f.withDocuments(f.documents().stream().map(d -> {
            PoolDocument updated = d;
            for (ConfigError e : extra.getOrDefault(d, List.of())) {
                updated = updated.withError(e);
            }
            return updated;
        }).toList())).toList();
    }

    private static List<List<PoolDocument>> duplicates(List<PoolDocument> documents,
                                                       Function<PoolDocument, Optional<String>> key) {
        return documents.stream().filter(d -> key.apply(d).isPresent())
                .collect(Collectors.groupingBy(d -> key.apply(d).orElseThrow(), LinkedHashMap::new, Collectors.toList()))
                .values().stream().filter(g -> g.size() > 1).toList();
    }

    private static void add(Map<PoolDocument, List<ConfigError>> extra, PoolDocument d, ConfigError e) {
        extra.computeIfAbsent(d, k -> new ArrayList<>()).add(e);
    }

    private static ConfigError nameError(PoolDocument d, List<PoolDocument> group) {
        return new ConfigError(d.file(), d.nameAt().line(), d.nameAt().column(), "metadata.name",
                "pool \"" + d.name().orElseThrow() + "\" is also defined in " + others(d, group, PoolDocument::nameAt),
                "pool names are unique across all files; rename or remove one");
    }

    private static ConfigError scriptTypeError(PoolDocument d, List<PoolDocument> group) {
        String pools = group.stream().filter(o -> o != d && !o.name().equals(d.name()))
                .map(o -> "\"" + o.name().orElse("?") + "\" (" + o.file() + ":" + o.scriptTypeAt().line() + ")")
                .distinct().collect(Collectors.joining(", "));
        return new ConfigError(d.file(), d.scriptTypeAt().line(), d.scriptTypeAt().column(), "spec.scriptType",
                "script type \"" + d.scriptType().orElseThrow() + "\" is also served by pool " + pools,
                "each script type is routed to one pool; give one of them another scriptType");
    }

    private static String others(PoolDocument d, List<PoolDocument> group, Function<PoolDocument, Location> at) {
        return group.stream().filter(o -> o != d).map(o -> o.file() + ":" + at.apply(o).line())
                .collect(Collectors.joining(", "));
    }
}
