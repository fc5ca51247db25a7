package dev.herd.desired;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which files a scan reads. Folders are walked recursively, following symbolic links (with a guard
 * against loops), and every hidden entry is skipped: in a Kubernetes ConfigMap mount the visible
 * {@code osis.yaml} is a link through {@code ..data} into a hidden timestamped folder, so reading the
 * visible names sees each file once, and always the version {@code ..data} points at now.
 * Editors' temporary files are skipped as well; they never end in .yaml or .yml except {@code .*.swp}
 * style hidden ones, which the hidden rule covers.
 */
final class FolderWalk {
    /** Files to read, links whose target is missing, folders seen, and folders that could not be listed. */
    record Found(List<Path> files, List<Path> brokenLinks, List<Path> folders, List<Path> unreadable,
                 List<ConfigError> errors) {
    }

    private final List<Path> files = new ArrayList<>();
    private final List<Path> brokenLinks = new ArrayList<>();
    private final List<Path> folders = new ArrayList<>();
    private final List<Path> unreadable = new ArrayList<>();
    private final List<ConfigError> errors = new ArrayList<>();
    private final Set<Path> visited = new HashSet<>();

    private FolderWalk() {
    }

    static Found walk(List<Path> roots) {
        FolderWalk walk = new FolderWalk();
        for (Path root : roots) {
            walk.root(root);
        }
        return new Found(List.copyOf(walk.files), List.copyOf(walk.brokenLinks), List.copyOf(walk.folders),
                List.copyOf(walk.unreadable), List.copyOf(walk.errors));
    }

    /** Whether a name in a watched folder can matter: not hidden and not an editor's scratch file. */
    static boolean relevantName(String name) {
        return !name.startsWith(".") && !name.endsWith("~") && !name.endsWith(".tmp") && !name.equals("4913");
    }

    static boolean poolFileName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return relevantName(name) && (lower.endsWith(".yaml") || lower.endsWith(".yml"));
    }

    private void root(Path root) {
        if (Files.isRegularFile(root)) {
            files.add(root);
        } else if (Files.isDirectory(root)) {
            folder(root, true);
        } else {
            // A vanished desired-state folder is far more likely an unmounted volume or a checkout being
            // replaced than an intent to delete every pool, so nothing below it counts as deleted.
            unreadable.add(root);
            errors.add(new ConfigError(root, 0, 0, "file", "no such file or folder",
                    "pools defined there are kept until it is back; an empty folder removes them"));
        }
    }

    private void folder(Path folder, boolean isRoot) {
        if (!visited.add(realPath(folder))) {
            return;
        }
        folders.add(folder);
        TreeSet<Path> entries = new TreeSet<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder)) {
            stream.forEach(entries::add);
        } catch (NoSuchFileException e) {
            if (isRoot) {
                root(folder);
            }
            return; // a sub-folder removed while we walk is deleted, with its files
        } catch (IOException | RuntimeException e) {
            unreadable.add(folder);
            errors.add(new ConfigError(folder, 0, 0, "file", "folder cannot be read: " + e,
                    "pools defined below it are kept; fix its permissions"));
            return;
        }
        for (Path entry : entries) {
            String name = entry.getFileName().toString();
            if (!relevantName(name)) {
                continue;
            }
            if (Files.isDirectory(entry)) {
                folder(entry, false);
            } else if (poolFileName(name) && Files.isRegularFile(entry)) {
                files.add(entry);
            } else if (poolFileName(name) && Files.isSymbolicLink(entry)) {
                brokenLinks.add(entry);
            }
        }
    }

    private static Path realPath(Path folder) {
        try {
            return folder.toRealPath();
        } catch (IOException e) {
            return folder.toAbsolutePath().normalize();
        }
    }
}
