package dev.herd.desired;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The errors found in one file so far; validation goes on after each one, so all are reported at once. */
final class Problems {
    private final Path file;
    private final List<ConfigError> errors = new ArrayList<>();

    Problems(Path file) {
        this.file = file;
    }

    void add(Location at, String field, String message, String hint) {
        errors.add(new ConfigError(file, at.line(), at.column(), field, message, hint));
    }

    void add(Location at, String field, Complaint complaint) {
        add(at, field, complaint.message(), complaint.hint());
    }

    int count() {
        return errors.size();
    }

    List<ConfigError> list() {
        return List.copyOf(errors);
    }

    Path file() {
        return file;
    }
}
