package dev.herd.desired;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * One reading of the desired-state folders, the input of {@link DesiredStateStore}.
 *
 * @param files              every pool file found, in path order, cross-file rules already applied
 * @param unreadableFolders  folders that could not be listed (a missing root among them); files below
 *                           them count as unknown, not deleted
 * @param folderErrors       why those folders could not be read
 */
public record ScanResult(List<FileScan> files, List<Path> unreadableFolders, List<ConfigError> folderErrors) {
    public ScanResult {
        files = List.copyOf(files);
        unreadableFolders = List.copyOf(unreadableFolders);
        folderErrors = List.copyOf(folderErrors);
    }

    /** A scan of files alone (tests, the CLI on explicit files): cross-file rules are applied here. */
    public static ScanResult of(List<FileScan> files) {
        return new ScanResult(CrossFileChecks.apply(files), List.of(), List.of());
    }

    /** True when the scan would have seen {@code file} had it existed: no unreadable folder above it. */
    public boolean covers(Path file) {
        return unreadableFolders.stream().noneMatch(folder -> file.startsWith(folder));
    }

    /** Every error of the scan, sorted by file, line and column. */
    public List<ConfigError> errors() {
        return Stream.concat(folderErrors.stream(), files.stream().flatMap(f -> f.errors().stream()))
                .sorted().distinct().toList();
    }

    /** The valid pools of this scan alone (without any last-good memory). */
    public List<WorkerPool> validPools() {
        return files.stream().flatMap(f -> f.documents().stream()).flatMap(d -> d.pool().stream()).toList();
    }
}
