package dev.herd.desired;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The pure core of the desired state: folds each {@link ScanResult} into the next {@link DesiredState}.
 * No threads, no clock, no I/O; the watcher (or a test) feeds it scans.
 *
 * <p>What a GitOps user can count on:
 * <ul>
 *   <li><b>One bad pool never blocks another.</b> Each pool is judged alone; valid pools are accepted
 *       whatever is wrong elsewhere.</li>
 *   <li><b>A mistake never takes a running pool down.</b> An invalid document keeps its pool's last good
 *       spec (and generation) in force and reports why; a new pool that has never been valid starts nothing.</li>
 *   <li><b>A file that cannot be read or parsed changes nothing</b> for any pool it defined, even the
 *       documents before the syntax error (a half-written file is not a partial intent). Nor does an
 *       empty file, a link to a missing file, or a file with a document that names no pool (it might be
 *       the one whose name was just mistyped).</li>
 *   <li><b>A pool is removed only on clear evidence:</b> its file was read completely and no longer
 *       defines it, or its file is gone from a folder that was read. A vanished or unreadable folder
 *       (an unmounted volume, a checkout being replaced) removes nothing.</li>
 *   <li><b>Duplicates are errors on every side.</b> Two documents naming one pool (or one script type)
 *       both fail and the pool keeps its last good spec; no file wins by sort order.</li>
 *   <li><b>Generations mean changes.</b> A pool's generation increases exactly when a different valid
 *       spec is accepted; re-saving a file, reordering keys, spelling out a default, or moving a pool to
 *       another file changes nothing.</li>
 * </ul>
 */
public final class DesiredStateStore {
    private DesiredState current = DesiredState.EMPTY;

    public DesiredState current() {
        return current;
    }

    /** Folds {@code scan} in and returns the new snapshot. */
    public DesiredState accept(ScanResult scan) {
        current = next(current, scan);
        return current;
    }

    public static DesiredState next(DesiredState previous, ScanResult scan) {
        Map<String, List<PoolDocument>> documentsByName = new LinkedHashMap<>();
        Map<Path, FileScan> filesByPath = new HashMap<>();
        for (FileScan file : scan.files()) {
            filesByPath.put(file.file(), file);
            file.documents().forEach(d -> d.name().ifPresent(
                    n -> documentsByName.computeIfAbsent(n, k -> new ArrayList<>()).add(d)));
        }
        Map<String, Long> generations = new HashMap<>(previous.generations());
        TreeMap<String, PoolState> pools = new TreeMap<>();
        documentsByName.forEach((name, documents) ->
                pools.put(name, judge(name, documents, previous.pool(name), generations)));
        for (PoolState old : previous.pools().values()) {
            if (!pools.containsKey(old.name())) {
                whyKept(old, scan, filesByPath.get(old.file()))
                        .ifPresent(errors -> pools.put(old.name(), new PoolState(old.name(), old.lastGood(),
                                old.generation(), errors, old.file())));
            }
        }
        return new DesiredState(pools, scan.errors(), generations);
    }

    private static PoolState judge(String name, List<PoolDocument> documents, Optional<PoolState> old,
                                   Map<String, Long> generations) {
        PoolDocument first = documents.get(0);
        if (documents.size() == 1 && first.valid()) {
            WorkerPool spec = first.pool().orElseThrow();
            if (old.flatMap(PoolState::lastGood).filter(spec::equals).isPresent()) {
                return new PoolState(name, Optional.of(spec), old.get().generation(), List.of(), first.file());
            }
            long generation = generations.getOrDefault(name, 0L) + 1;
            generations.put(name, generation);
            return new PoolState(name, Optional.of(spec), generation, List.of(), first.file());
        }
        List<ConfigError> errors = documents.stream().flatMap(d -> d.errors().stream()).sorted().toList();
        return new PoolState(name, old.flatMap(PoolState::lastGood), old.map(PoolState::generation).orElse(0L),
                errors, first.file());
    }

    /** The errors to show for a pool the scan no longer names, or empty when it is really gone. */
    private static Optional<List<ConfigError>> whyKept(PoolState old, ScanResult scan, FileScan file) {
        if (file == null) {
            if (scan.covers(old.file())) {
                return Optional.empty(); // the file was deleted from a folder that was read
            }
            return Optional.of(scan.folderErrors().stream()
                    .filter(e -> old.file().startsWith(e.file())).toList());
        }
        if (file.complete()) {
            return Optional.empty(); // read completely and the document is gone
        }
        List<ConfigError> errors = new ArrayList<>(file.fileErrors());
        file.documents().stream().filter(d -> d.name().isEmpty()).forEach(d -> errors.addAll(d.errors()));
        return Optional.of(errors.stream().sorted().toList());
    }
}
