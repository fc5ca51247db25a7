package dev.herd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herd.testing.Api;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTokenTest {
    @TempDir
    Path dir;

    @Test
    void theEnvironmentsTokenComesFirstThenTheOptionThenTheEnvironmentsFile() {
        Path a = Api.tokenFile(dir, "from-option");
        assertThat(CliToken.find(Optional.of(a), Map.of("HERD_API_TOKEN", "from-env")).value()).contains("from-env");
        assertThat(CliToken.find(Optional.of(a), Map.of("HERD_API_TOKEN_FILE", "/nowhere")).value()).contains("from-option");
        assertThat(CliToken.find(Optional.empty(), Map.of("HERD_API_TOKEN_FILE", a.toString())).value()).contains("from-option");
    }

    @Test
    void noReadableTokenSaysWhereItLookedAndWhatToDo() throws IOException {
        CliToken none = CliToken.find(Optional.of(dir.resolve("missing")), Map.of());
        assertThat(none.value()).isEmpty();
        assertThat(none.why()).contains(dir.resolve("missing").toString()).contains("HERD_API_TOKEN");

        Path open = dir.resolve("open");
        Files.writeString(open, "t");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-rw-rw-"));
        CliToken refused = CliToken.find(Optional.of(open), Map.of());
        assertThat(refused.value()).isEmpty();
        assertThat(refused.why()).contains("chmod 600");
    }
}
