package dev.herd.desired;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What one file said in one scan.
 *
 * @param file       the file, as found under the scanned folder
 * @param documents  its WorkerPool documents, valid or not (none when it could not be read or parsed)
 * @param fileErrors errors of the file as a whole: unreadable, not UTF-8, empty, YAML syntax
 * @param complete   true when the file was read and every document in it says which pool it is;
 *                   only then may a pool that the file no longer defines be removed
 */
public record FileScan(Path file, List<PoolDocument> documents, List<ConfigError> fileErrors, boolean complete) {
    public FileScan {
        Objects.requireNonNull(file);
        documents = List.copyOf(documents);
        fileErrors = List.copyOf(fileErrors);
    }

    /** A file that yields nothing usable; the pools it defined before are kept. */
    static FileScan failed(Path file, Location at, String field, String message, String hint) {
        return new FileScan(file, List.of(), List.of(new ConfigError(file, at.line(), at.column(), field, message, hint)), false);
    }

    /** Every error of the file: its own and its documents'. */
    public List<ConfigError> errors() {
        List<ConfigError> all = new ArrayList<>(fileErrors);
        documents.forEach(d -> all.addAll(d.errors()));
        return all;
    }

    FileScan withDocuments(List<PoolDocument> replaced) {
        return new FileScan(file, replaced, fileErrors, complete);
    }
}
