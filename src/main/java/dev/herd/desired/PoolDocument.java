package dev.herd.desired;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One WorkerPool document as read from a file: the pool when it is valid, its errors when not.
 * {@code name} is empty when the document does not say which pool it is (no valid metadata.name);
 * such a document makes its file's reading incomplete, so no pool of that file is removed.
 *
 * @param file         where the document is
 * @param name         the pool it defines, when known
 * @param nameAt       where the name (or the document) is written
 * @param scriptType   the script type it serves, when known
 * @param scriptTypeAt where the script type is written (or the name, when defaulted)
 * @param pool         the valid pool, present exactly when {@code errors} is empty
 * @param errors       everything wrong with the document, in order
 */
public record PoolDocument(Path file, Optional<String> name, Location nameAt, Optional<String> scriptType,
                           Location scriptTypeAt, Optional<WorkerPool> pool, List<ConfigError> errors) {
    public PoolDocument {
        Objects.requireNonNull(file);
        Objects.requireNonNull(name);
        Objects.requireNonNull(nameAt);
        Objects.requireNonNull(scriptType);
        Objects.requireNonNull(scriptTypeAt);
        errors = List.copyOf(errors);
        if (pool.isPresent() == !errors.isEmpty()) {
            throw new IllegalArgumentException("a document has a pool exactly when it has no errors");
        }
    }

    /** The same document with one more error, and so no longer a valid pool. */
    public PoolDocument withError(ConfigError error) {
        List<ConfigError> more = new ArrayList<>(errors);
        more.add(error);
        return new PoolDocument(file, name, nameAt, scriptType, scriptTypeAt, Optional.empty(), more);
    }

    public boolean valid() {
        return pool.isPresent();
    }
}
