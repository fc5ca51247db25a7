package dev.herd.desired;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Parses the text of one file into a {@link FileScan}: pure, no I/O. */
public final class PoolFileParser {
    private PoolFileParser() {
    }

    /**
     * @param file        where the text came from (named in errors)
     * @param text        the file's content
     * @param environment the variables {@code ${VAR}} references are expanded from
     */
    public static FileScan parse(Path file, String text, Map<String, String> environment) {
        if (text.isEmpty()) {
            // An editor that truncates before writing leaves an empty file for a moment; it must not
            // remove the pools the file held. A file meant to hold no pool can say so with a comment.
            return FileScan.failed(file, new Location(1, 1), "file", "file is empty",
                    "pools it defined are kept; delete the file to remove them");
        }
        YamlDocuments.Result result = YamlDocuments.read(text);
        if (result instanceof YamlDocuments.SyntaxError e) {
            return FileScan.failed(file, e.at(), "yaml", e.message(), e.hint());
        }
        List<PoolDocument> documents = ((YamlDocuments.Parsed) result).documents().stream()
                .map(d -> PoolDecoder.decode(d, file, environment))
                .toList();
        boolean everyPoolNamed = documents.stream().allMatch(d -> d.name().isPresent());
        return new FileScan(file, documents, List.of(), everyPoolNamed);
    }
}
