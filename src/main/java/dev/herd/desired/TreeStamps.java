package dev.herd.desired;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A cheap fingerprint of the files a scan reads (size, modification time, inode of each), taken before
 * and after reading: when they differ, something was writing during the scan (a git pull, an editor),
 * and the scan is taken again instead of publishing a half-updated tree.
 */
record TreeStamps(Map<Path, String> stamps) {

    static TreeStamps of(List<Path> roots) {
        FolderWalk.Found found = FolderWalk.walk(roots);
        Map<Path, String> stamps = new LinkedHashMap<>();
        found.folders().forEach(f -> stamps.put(f, "folder"));
        found.unreadable().forEach(f -> stamps.put(f, "unreadable"));
        found.brokenLinks().forEach(f -> stamps.put(f, "broken link"));
        found.files().forEach(f -> stamps.put(f, stamp(f)));
        return new TreeStamps(Map.copyOf(stamps));
    }

    private static String stamp(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.size() + "/" + a.lastModifiedTime().toInstant() + "/" + a.fileKey();
        } catch (IOException e) {
            return "unreadable";
        }
    }
}
