package dev.herd.desired;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads desired-state folders (and single files) into a {@link ScanResult}: the imperative edge of
 * parsing. Which files are read is {@link FolderWalk}'s rule; a file that cannot be read or decoded
 * yields errors and no documents, so its pools are kept.
 */
public final class DesiredStateScanner {
    /** Larger files are refused; a WorkerPool file is a few hundred bytes. */
    static final int MAX_FILE_BYTES = 4 << 20;

    private final Map<String, String> environment;

    /** @param environment the variables {@code ${VAR}} references expand from (e.g. {@code System.getenv()}) */
    public DesiredStateScanner(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    public ScanResult scan(Path... roots) {
        return scan(List.of(roots));
    }

    public ScanResult scan(List<Path> roots) {
        FolderWalk.Found found = FolderWalk.walk(roots);
        Map<Path, FileScan> files = new LinkedHashMap<>();
        for (Path file : found.files()) {
            files.putIfAbsent(file.toAbsolutePath().normalize(), read(file));
        }
        for (Path link : found.brokenLinks()) {
            files.putIfAbsent(link.toAbsolutePath().normalize(), FileScan.failed(link, Location.FILE, "file",
                    "is a link to a missing file", "pools it defined are kept until the link is fixed or removed"));
        }
        List<ConfigError> folderErrors = new ArrayList<>(found.errors());
        return new ScanResult(CrossFileChecks.apply(List.copyOf(files.values())), found.unreadable(), folderErrors);
    }

    private FileScan read(Path file) {
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                return FileScan.failed(file, Location.FILE, "file", "is larger than " + MAX_FILE_BYTES + " bytes",
                        "split it; a WorkerPool file is small");
            }
            byte[] bytes = Files.readAllBytes(file);
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            return PoolFileParser.parse(file, text, environment);
        } catch (CharacterCodingException e) {
            return FileScan.failed(file, Location.FILE, "file", "is not UTF-8 text", "save it as UTF-8");
        } catch (IOException e) {
            // Vanished between listing and reading (an editor replacing it, a checkout): unknown, not deleted.
            return FileScan.failed(file, Location.FILE, "file", "cannot be read: " + e,
                    "pools it defined are kept; check the file's permissions");
        }
    }
}
