package dev.herd.desired;

import static dev.herd.desired.PoolFiles.pool;
import static dev.herd.desired.PoolFiles.write;
import static dev.herd.desired.PoolFiles.writeAtomically;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watcher against real files in a temporary folder. The periodic rescan is set long, so each change
 * must be noticed through file-system events; every published snapshot is recorded, to check that no
 * pool was ever dropped on the way to the final one.
 */
class DesiredStateWatcherTest {
    private static final Duration DEBOUNCE = Duration.ofMillis(150);
    private static final Duration NO_RESCAN = Duration.ofMinutes(10);

    @TempDir
    Path parent;

    private final List<DesiredState> published = new CopyOnWriteArrayList<>();
    private DesiredStateWatcher watcher;

    private Path root() {
        return parent.resolve("desired-state");
    }

    private void start(Duration rescan) throws IOException {
        watcher = new DesiredStateWatcher(new DesiredStateWatcher.Settings(root(), DEBOUNCE, rescan), Map.of(),
                published::add);
        watcher.start();
    }

    @AfterEach
    void stop() {
        if (watcher != null) {
            watcher.close();
        }
    }

    private static Integer replicas(DesiredState state, String pool) {
        WorkerPool p = state.activePools().get(pool);
        return p == null ? null : p.spec().replicas();
    }

    private void awaitReplicas(String pool, int replicas) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(
                () -> assertThat(replicas(watcher.current(), pool)).isEqualTo(replicas));
    }

    private void assertNeverDropped(String... pools) {
        assertThat(published).allSatisfy(s -> assertThat(s.activePools()).containsKeys(pools));
    }

    @Test
    void publishesTheFirstSnapshotBeforeStartReturns() throws IOException {
        write(root().resolve("osis.yaml"), pool("osis", 1));
        start(NO_RESCAN);

        assertThat(watcher.current().activePools()).containsOnlyKeys("osis");
        assertThat(published).hasSize(1);
    }

    @Test
    void anAtomicRenameIsSeenAsOneChange() throws IOException {
        write(root().resolve("osis.yaml"), pool("osis", 1));
        start(NO_RESCAN);

        writeAtomically(root().resolve("osis.yaml"), pool("osis", 2));

        awaitReplicas("osis", 2);
        assertThat(watcher.current().pool("osis").orElseThrow().generation()).isEqualTo(2);
        assertNeverDropped("osis");
    }

    @Test
    void anEditorThatMovesTheOriginalAsideFirstRemovesNothing() throws IOException {
        Path file = write(root().resolve("osis.yaml"), pool("osis", 1));
        start(NO_RESCAN);

        // vim with 'backupcopy=no': test file, swap file, original renamed to a backup, new file written
        write(root().resolve("4913"), "");
        write(root().resolve(".osis.yaml.swp"), "swap");
        PoolFiles.move(file, root().resolve("osis.yaml~"));
        write(file, pool("osis", 3));
        Files.delete(root().resolve("osis.yaml~"));
        Files.delete(root().resolve("4913"));
        Files.delete(root().resolve(".osis.yaml.swp"));

        awaitReplicas("osis", 3);
        assertNeverDropped("osis");
    }

    @Test
    void aConfigMapSymlinkSwapLandsAsOneSnapshot() throws IOException {
        PoolFiles.configMapVersion(root(), "v1", "osis.yaml", pool("osis", 1), "python.yaml", pool("python", 1));
        PoolFiles.link(root().resolve("..data"), "..v1");
        PoolFiles.link(root().resolve("osis.yaml"), "..data/osis.yaml");
        PoolFiles.link(root().resolve("python.yaml"), "..data/python.yaml");
        start(NO_RESCAN);
        assertThat(watcher.current().activePools()).containsOnlyKeys("osis", "python");

        // kubelet: new version folder, atomic swap of ..data, then links for new keys, old ones removed
        PoolFiles.configMapVersion(root(), "v2", "osis.yaml", pool("osis", 2), "sal.yaml", pool("sal", 1));
        PoolFiles.swapConfigMapData(root(), "v2");
        PoolFiles.link(root().resolve("sal.yaml"), "..data/sal.yaml");
        Files.delete(root().resolve("python.yaml"));
        PoolFiles.deleteTree(root().resolve("..v1"));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(watcher.current().activePools()).containsOnlyKeys("osis", "sal"));
        assertThat(replicas(watcher.current(), "osis")).isEqualTo(2);
        assertThat(watcher.current().errors()).isEmpty();
        assertNeverDropped("osis");
    }

    @Test
    void aGitPullOfManyFilesLandsAsOneConsistentSnapshot() throws IOException {
        List<String> names = IntStream.range(0, 40).mapToObj(i -> "pool-" + i).toList();
        names.forEach(n -> write(root().resolve("team-" + n.length() % 3).resolve(n + ".yaml"), pool(n, 1)));
        start(NO_RESCAN);
        assertThat(watcher.current().activePools()).hasSize(40);

        names.forEach(n -> writeAtomically(root().resolve("team-" + n.length() % 3).resolve(n + ".yaml"), pool(n, 2)));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(watcher.current().activePools().values()).allMatch(p -> p.spec().replicas() == 2));
        assertThat(published).allSatisfy(s -> assertThat(s.activePools().values().stream()
                .map(p -> p.spec().replicas()).distinct()).hasSize(1));
        assertNeverDropped(names.toArray(String[]::new));
    }

    @Test
    void aFileTruncatedMidWriteKeepsItsPoolsUntilTheWriteIsComplete() throws IOException {
        Path file = write(root().resolve("pools.yaml"), pool("osis", 1) + "---\n" + pool("sal", 1));
        start(NO_RESCAN);

        String next = pool("osis", 5) + "---\n" + pool("sal", 5);
        write(file, next.substring(0, next.indexOf("exec: [") + 12));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(watcher.current().pool("sal").orElseThrow().errors()).isNotEmpty());
        assertThat(watcher.current().activePools()).containsOnlyKeys("osis", "sal");
        assertThat(replicas(watcher.current(), "osis")).isEqualTo(1);

        write(file, next);
        awaitReplicas("osis", 5);
        awaitReplicas("sal", 5);
        assertNeverDropped("osis", "sal");
    }

    @Test
    void aDeletedFolderRemovesNothingAndItsReturnIsNoticed() throws IOException {
        write(root().resolve("osis.yaml"), pool("osis", 1));
        write(root().resolve("sub/sal.yaml"), pool("sal", 1));
        start(NO_RESCAN);

        PoolFiles.deleteTree(root());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(watcher.current().errors()).map(ConfigError::message).contains("no such file or folder"));
        assertThat(watcher.current().activePools()).containsOnlyKeys("osis", "sal");

        write(root().resolve("osis.yaml"), pool("osis", 2));
        write(root().resolve("sub/sal.yaml"), pool("sal", 1));
        awaitReplicas("osis", 2);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(watcher.current().errors()).isEmpty());
        assertNeverDropped("osis", "sal");
    }

    @Test
    void aDeletedFileRemovesItsPoolsAndNoOther() throws IOException {
        write(root().resolve("osis.yaml"), pool("osis", 1));
        Path sal = write(root().resolve("sal.yaml"), pool("sal", 1));
        start(NO_RESCAN);

        Files.delete(sal);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(watcher.current().activePools()).containsOnlyKeys("osis"));
        assertNeverDropped("osis");
    }

    @Test
    void filesInANewSubFolderAreRead() throws IOException {
        start(NO_RESCAN);

        write(root().resolve("new/deeper/osis.yaml"), pool("osis", 1));

        awaitReplicas("osis", 1);
    }

    @Test
    void thePeriodicRescanCatchesWhatEventsMiss() throws IOException {
        write(root().resolve("osis.yaml"), pool("osis", 1));
        start(Duration.ofMillis(300));
        watcher.close(); // no more events: only a new watcher's scans could see the change ...

        DesiredStateWatcher second = new DesiredStateWatcher(
                new DesiredStateWatcher.Settings(root(), Duration.ofHours(1), Duration.ofMillis(300)), Map.of(), s -> { });
        try {
            second.start();
            writeAtomically(root().resolve("osis.yaml"), pool("osis", 4));
            // ... and with an hour of debounce, only its periodic rescan can
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(replicas(second.current(), "osis")).isEqualTo(4));
        } finally {
            second.close();
        }
    }

    @Test
    void theListenerIsToldOnlyAboutChanges() throws IOException {
        write(root().resolve("osis.yaml"), pool("osis", 1));
        start(NO_RESCAN);

        writeAtomically(root().resolve("osis.yaml"), "# the same pool, saved again\n" + pool("osis", 1));
        writeAtomically(root().resolve("sal.yaml"), pool("sal", 1));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(watcher.current().activePools()).containsOnlyKeys("osis", "sal"));
        assertThat(published).hasSizeLessThanOrEqualTo(2);
    }

}
