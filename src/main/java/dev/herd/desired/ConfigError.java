package dev.herd.desired;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.Objects;

/**
 * One thing wrong with the desired state, precise enough to fix without reading code.
 * Line and column count from 1; 0 means the error concerns the whole file (it could not be read).
 *
 * @param file    the file (or folder) concerned
 * @param field   where in the document, e.g. {@code spec.template.exec[0]}; for errors of a whole file,
 *                {@code file}, {@code yaml} or {@code document}
 * @param message what is wrong
 * @param hint    how to fix it
 */
public record ConfigError(Path file, int line, int column, String field, String message, String hint)
        implements Comparable<ConfigError> {

    private static final Comparator<ConfigError> ORDER = Comparator
            .comparing((ConfigError e) -> e.file().toString())
            .thenComparingInt(ConfigError::line)
            .thenComparingInt(ConfigError::column)
            .thenComparing(ConfigError::field)
            .thenComparing(ConfigError::message);

    public ConfigError {
        Objects.requireNonNull(file);
        Objects.requireNonNull(field);
        Objects.requireNonNull(message);
        Objects.requireNonNull(hint);
    }

    /** {@code file:line:column: field: message (hint)}, the form editors and CI logs link to. */
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + field + ": " + message + " (" + hint + ")";
    }

    @Override
    public int compareTo(ConfigError other) {
        return ORDER.compare(this, other);
    }
}
