package dev.herd.desired;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writing pool files the ways editors, git and kubelet do, for scanner and watcher tests. */
final class PoolFiles {
    private PoolFiles() {
    }

    static String pool(String name, int replicas) {
        return "apiVersion: herd/v1\nkind: WorkerPool\nmetadata: {name: " + name + "}\n"
                + "spec:\n  replicas: " + replicas + "\n  template:\n    exec: [/bin/worker, \"{{workerId}}\"]\n";
    }

    static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Write a temporary file beside the target, then rename it over the target, as most editors and git do. */
    static void writeAtomically(Path file, String text) {
        Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
        write(temp, text);
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void link(Path link, String target) {
        try {
            Files.createSymbolicLink(link, Path.of(target));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void move(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Kubernetes' ConfigMap volume layout: the data in a hidden timestamped folder, {@code ..data} a link
     * to it, and each key a visible link through {@code ..data}.
     */
    static Path configMapVersion(Path root, String version, String... keyThenText) {
        Path folder = root.resolve(".." + version);
        for (int i = 0; i < keyThenText.length; i += 2) {
            write(folder.resolve(keyThenText[i]), keyThenText[i + 1]);
        }
        return folder;
    }

    /** What kubelet does on an update: point a new {@code ..data_tmp} link at the new version, rename it over {@code ..data}. */
    static void swapConfigMapData(Path root, String version) {
        link(root.resolve("..data_tmp"), ".." + version);
        move(root.resolve("..data_tmp"), root.resolve("..data"));
    }
}
