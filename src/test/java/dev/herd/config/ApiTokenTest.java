package dev.herd.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTokenTest {
    @TempDir
    Path dir;

    @Test
    void aMissingFileIsCreatedOwnerOnlyInAnOwnerOnlyFolder() throws IOException {
        Path file = dir.resolve("config/herd/api-token");
        String token = ApiToken.readOrCreate(file);
        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(ApiToken.readOrCreate(file)).as("the second start keeps the token").isEqualTo(token);
        assertThat(ApiToken.read(file)).contains(token);
        try (var left = Files.list(file.getParent())) {
            assertThat(left).as("no partial file left behind").containsExactly(file);
        }
    }

    @Test
    void herdsStartingTogetherAgreeOnOneToken() throws Exception {
        Path file = dir.resolve("api-token");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<String>> starts = IntStream.range(0, 8).<Callable<String>>mapToObj(i -> () -> ApiToken.readOrCreate(file)).toList();
            List<String> tokens = pool.invokeAll(starts).stream().map(f -> {
                try {
                    return f.get();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).distinct().toList();
            assertThat(tokens).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFileOthersCanReadIsRefusedWithTheFix() throws IOException {
        Path file = dir.resolve("api-token");
        Files.writeString(file, "abc\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> ApiToken.readOrCreate(file)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("rw-r--r--").hasMessageContaining("chmod 600");
    }

    @Test
    void anotherUsersFileOrALinkIsNotHerdsToken() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(new com.sun.security.auth.module.UnixSystem().getUid() == 0, "needs root to chown");
        Path file = dir.resolve("api-token");
        Files.writeString(file, "planted\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Files.setAttribute(file, "unix:uid", 65534);
        assertThatThrownBy(() -> ApiToken.readOrCreate(file)).hasMessageContaining("belongs to uid 65534");
        Path link = Files.createSymbolicLink(dir.resolve("link"), dir.resolve("elsewhere"));
        assertThatThrownBy(() -> ApiToken.readOrCreate(link)).hasMessageContaining("symbolic link");
    }

    @Test
    void anEmptyFileIsRefusedRatherThanAnEmptyToken() throws IOException {
        Path file = dir.resolve("api-token");
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        assertThatThrownBy(() -> ApiToken.readOrCreate(file)).hasMessageContaining("holds no token");
        assertThat(ApiToken.read(file)).isEmpty();
    }

    @Test
    void aFileThatCannotBeCreatedSaysWhatToSet() throws IOException {
        Path blocker = dir.resolve("not-a-folder");
        Files.writeString(blocker, "x");
        assertThatThrownBy(() -> ApiToken.readOrCreate(blocker.resolve("api-token")))
                .hasMessageContaining("herd.api.token-file").hasMessageContaining("herd.api.token");
    }
}
