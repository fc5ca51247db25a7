package dev.herd.desired;

import static dev.herd.desired.PoolFiles.pool;
import static dev.herd.desired.PoolFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DesiredStateScannerTest {
    @TempDir
    Path root;

    private final DesiredStateScanner scanner = new DesiredStateScanner(Map.of());

    private static java.util.List<String> poolNames(ScanResult scan) {
        return scan.validPools().stream().map(WorkerPool::name).toList();
    }

    @Test
    void readsYamlAndYmlFilesInEveryFolderBelowTheRoot() {
        write(root.resolve("osis.yaml"), pool("osis", 1));
        write(root.resolve("team/b/sal.yml"), pool("sal", 1));
        write(root.resolve("README.md"), "not a pool");
        write(root.resolve("notes.txt"), "neither");

        ScanResult scan = scanner.scan(root);

        assertThat(scan.errors()).isEmpty();
        assertThat(poolNames(scan)).containsExactly("osis", "sal");
    }

    @Test
    void skipsHiddenEntriesAndEditorScratchFiles() {
        write(root.resolve("osis.yaml"), pool("osis", 1));
        write(root.resolve(".osis.yaml.swp"), "binary swap");
        write(root.resolve(".#osis.yaml"), "emacs lock");
        write(root.resolve("osis.yaml~"), pool("osis", 9));
        write(root.resolve("osis.yaml.tmp"), pool("osis", 9));
        write(root.resolve(".git/config.yaml"), pool("osis", 9));

        assertThat(scanner.scan(root).files()).map(FileScan::file).containsExactly(root.resolve("osis.yaml"));
    }

    @Test
    void readsAConfigMapMountThroughItsVisibleLinksOnce() {
        PoolFiles.configMapVersion(root, "2024_01_01_00_00_00.1", "osis.yaml", pool("osis", 1), "sal.yaml", pool("sal", 1));
        PoolFiles.link(root.resolve("..data"), "..2024_01_01_00_00_00.1");
        PoolFiles.link(root.resolve("osis.yaml"), "..data/osis.yaml");
        PoolFiles.link(root.resolve("sal.yaml"), "..data/sal.yaml");

        ScanResult scan = scanner.scan(root);

        assertThat(scan.errors()).isEmpty();
        assertThat(scan.files()).map(FileScan::file).containsExactly(root.resolve("osis.yaml"), root.resolve("sal.yaml"));
    }

    @Test
    void aMissingRootIsUnreadableNotEmpty() {
        Path missing = root.resolve("gone");
        ScanResult scan = scanner.scan(missing);

        assertThat(scan.covers(missing.resolve("osis.yaml"))).isFalse();
        assertThat(scan.errors()).map(ConfigError::toString).containsExactly(missing + ":0:0: file: no such file or"
                + " folder (pools defined there are kept until it is back; an empty folder removes them)");
    }

    @Test
    void aLinkToAMissingFileIsUnknownNotDeleted() {
        PoolFiles.link(root.resolve("osis.yaml"), "..data/osis.yaml");

        ScanResult scan = scanner.scan(root);

        assertThat(scan.files()).singleElement().satisfies(f -> assertThat(f.complete()).isFalse());
        assertThat(scan.errors()).map(ConfigError::message).containsExactly("is a link to a missing file");
    }

    @Test
    void aFileThatIsNotUtf8IsReported() throws IOException {
        Files.write(root.resolve("osis.yaml"), new byte[] {'a', ':', ' ', (byte) 0xC3, (byte) 0x28});

        assertThat(scanner.scan(root).errors()).map(ConfigError::toString)
                .containsExactly(root.resolve("osis.yaml") + ":0:0: file: is not UTF-8 text (save it as UTF-8)");
    }

    @Test
    void anExplicitFileIsReadWhateverItsName() {
        Path file = write(root.resolve("pool.conf"), pool("osis", 1));

        assertThat(poolNames(scanner.scan(file))).containsExactly("osis");
    }

    @Test
    void theSameFileGivenTwiceIsReadOnce() {
        Path file = write(root.resolve("osis.yaml"), pool("osis", 1));

        ScanResult scan = scanner.scan(root, file);

        assertThat(scan.errors()).isEmpty();
        assertThat(poolNames(scan)).containsExactly("osis");
    }
}
