package dev.herd.desired;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DesiredStateStoreTest {
    private static final Path ROOT = Path.of("desired");
    private final DesiredStateStore store = new DesiredStateStore();

    private static String pool(String name, int replicas) {
        return "apiVersion: herd/v1\nkind: WorkerPool\nmetadata: {name: " + name + "}\n"
                + "spec: {replicas: " + replicas + ", template: {exec: [/bin/w, \"{{workerId}}\"]}}\n";
    }

    /** A scan of the folder holding exactly these files (name to content). */
    private static ScanResult scan(Map<String, String> files) {
        List<FileScan> scans = new ArrayList<>();
        files.forEach((name, text) -> scans.add(PoolFileParser.parse(ROOT.resolve(name), text, Map.of())));
        return ScanResult.of(scans);
    }

    private static Map<String, String> files(String... nameThenText) {
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; i < nameThenText.length; i += 2) {
            files.put(nameThenText[i], nameThenText[i + 1]);
        }
        return files;
    }

    private DesiredState accept(String... nameThenText) {
        return store.accept(scan(files(nameThenText)));
    }

    private static int replicas(DesiredState state, String pool) {
        return state.activePools().get(pool).spec().replicas();
    }

    @Test
    void aNewValidPoolIsAcceptedAtGenerationOne() {
        DesiredState state = accept("a.yaml", pool("osis", 1));

        PoolState osis = state.pool("osis").orElseThrow();
        assertThat(osis.valid()).isTrue();
        assertThat(osis.generation()).isEqualTo(1);
        assertThat(osis.file()).isEqualTo(ROOT.resolve("a.yaml"));
        assertThat(state.activePools()).containsOnlyKeys("osis");
        assertThat(state.valid()).isTrue();
    }

    @Test
    void theGenerationMovesOnlyWithTheSpec() {
        DesiredState first = accept("a.yaml", pool("osis", 1));
        DesiredState unchanged = accept("a.yaml", "# saved again\n" + pool("osis", 1));
        DesiredState changed = accept("a.yaml", pool("osis", 2));

        assertThat(unchanged).isEqualTo(first);
        assertThat(changed.pool("osis").orElseThrow().generation()).isEqualTo(2);
    }

    @Test
    void anInvalidEditKeepsTheLastGoodSpecAndReportsWhy() {
        accept("a.yaml", pool("osis", 2), "b.yaml", pool("sal", 1));
        DesiredState state = accept("a.yaml", pool("osis", -5), "b.yaml", pool("sal", 3));

        PoolState osis = state.pool("osis").orElseThrow();
        assertThat(osis.valid()).isFalse();
        assertThat(osis.errors()).map(ConfigError::message).containsExactly("must be at least 0, got -5");
        assertThat(osis.generation()).isEqualTo(1);
        assertThat(replicas(state, "osis")).isEqualTo(2);
        assertThat(replicas(state, "sal")).isEqualTo(3);
    }

    @Test
    void aNewPoolThatWasNeverValidStartsNothingButIsReported() {
        DesiredState state = accept("a.yaml", pool("osis", -1));

        assertThat(state.activePools()).isEmpty();
        assertThat(state.pool("osis").orElseThrow().generation()).isZero();
        assertThat(state.errors()).hasSize(1);
    }

    @Test
    void aFileThatDoesNotParseKeepsEveryPoolItDefined() {
        accept("a.yaml", pool("osis", 1) + "---\n" + pool("python", 1), "b.yaml", pool("sal", 1));
        DesiredState state = accept("a.yaml", pool("osis", 4) + "---\n" + "spec: [unclosed\n", "b.yaml", pool("sal", 2));

        assertThat(state.activePools()).containsOnlyKeys("osis", "python", "sal");
        assertThat(replicas(state, "osis")).isEqualTo(1);
        assertThat(state.pool("python").orElseThrow().errors()).map(ConfigError::field).containsExactly("yaml");
        assertThat(replicas(state, "sal")).isEqualTo(2);
    }

    @Test
    void anEmptyFileRemovesNothing() {
        accept("a.yaml", pool("osis", 1));
        DesiredState state = accept("a.yaml", "");

        assertThat(state.activePools()).containsOnlyKeys("osis");
        assertThat(state.pool("osis").orElseThrow().errors()).map(ConfigError::message).containsExactly("file is empty");
    }

    @Test
    void aPoolLeavesWhenItsDocumentLeavesAFileReadCompletely() {
        accept("a.yaml", pool("osis", 1) + "---\n" + pool("python", 1));
        DesiredState state = accept("a.yaml", pool("osis", 1));

        assertThat(state.pools()).containsOnlyKeys("osis");
    }

    @Test
    void aDocumentWithoutAUsableNameKeepsTheOtherPoolsOfItsFile() {
        accept("a.yaml", pool("osis", 1) + "---\n" + pool("python", 1));
        DesiredState state = accept("a.yaml", pool("osis", 1) + "---\n" + pool("Python", 1));

        assertThat(state.activePools()).containsOnlyKeys("osis", "python");
        assertThat(state.pool("python").orElseThrow().errors()).map(ConfigError::field).containsExactly("metadata.name");
    }

    @Test
    void aDeletedFileRemovesItsPools() {
        accept("a.yaml", pool("osis", 1), "b.yaml", pool("sal", 1));
        DesiredState state = accept("b.yaml", pool("sal", 1));

        assertThat(state.pools()).containsOnlyKeys("sal");
    }

    @Test
    void aVanishedFolderRemovesNothing() {
        accept("a.yaml", pool("osis", 1));
        ConfigError missing = new ConfigError(ROOT, 0, 0, "file", "no such file or folder", "...");
        DesiredState state = store.accept(new ScanResult(List.of(), List.of(ROOT), List.of(missing)));

        assertThat(state.activePools()).containsOnlyKeys("osis");
        assertThat(state.pool("osis").orElseThrow().errors()).containsExactly(missing);
        assertThat(state.pool("osis").orElseThrow().generation()).isEqualTo(1);
    }

    @Test
    void duplicatesKeepTheLastGoodSpecWhicheverFileSortsFirst() {
        accept("b.yaml", pool("osis", 1));
        DesiredState state = accept("a.yaml", pool("osis", 5), "b.yaml", pool("osis", 1));

        assertThat(replicas(state, "osis")).isEqualTo(1);
        assertThat(state.pool("osis").orElseThrow().errors()).hasSize(2);
    }

    @Test
    void movingAPoolToAnotherFileChangesNothing() {
        DesiredState before = accept("a.yaml", pool("osis", 1));
        DesiredState after = accept("b.yaml", pool("osis", 1));

        assertThat(after.pool("osis").orElseThrow().generation()).isEqualTo(before.pool("osis").orElseThrow().generation());
        assertThat(after.activePools()).isEqualTo(before.activePools());
    }

    @Test
    void aPoolRemovedAndAddedAgainContinuesItsGeneration() {
        accept("a.yaml", pool("osis", 1));
        accept("a.yaml", pool("osis", 2));
        accept("a.yaml", "# nothing\n");
        DesiredState state = accept("a.yaml", pool("osis", 2));

        assertThat(state.pool("osis").orElseThrow().generation()).isEqualTo(3);
    }

    @Test
    void theCoreIsPure() {
        DesiredState previous = accept("a.yaml", pool("osis", 1));
        ScanResult scan = scan(files("a.yaml", pool("osis", 2)));

        assertThat(DesiredStateStore.next(previous, scan)).isEqualTo(DesiredStateStore.next(previous, scan));
    }
}
