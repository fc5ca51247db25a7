package dev.herd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herd.testing.JarCommand;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as scripts meet it: the packaged jar as a process, its exit codes (0 as desired,
 * 1 not, 2 bad usage or Herd unreachable) and clean output (no start-up logging on either stream).
 * Against a running Herd, status and plan are checked in {@link dev.herd.deploy.ZinitServiceJarIT}
 * and, in process, {@link LiveCommandsIT}.
 */
class CliJarIT {
    @TempDir
    Path dir;

    @Test
    void validateExitsZeroOneOrTwo() throws IOException {
        JarCommand ok = JarCommand.run("validate", "desired-state");
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).matches("ok: \\d+ pools in \\d+ files?\\n");
        assertThat(ok.err()).isEmpty();

        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "apiVersion: herd/v1\nkind: WorkerPool\nmetadata: {name: bad}\nspec: {replica: 1, template: {exec: [/bin/true]}}\n");
        JarCommand invalid = JarCommand.run("validate", bad.toString());
        assertThat(invalid.exit()).isEqualTo(1);
        assertThat(invalid.out()).isEqualTo(bad + ":4:8: spec.replica: unknown field \"replica\" (did you mean \"replicas\"?)\n");
        assertThat(invalid.err()).isEqualTo("1 error in 1 file\n");

        JarCommand missing = JarCommand.run("validate", dir.resolve("nope").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("no such file or folder");
    }

    @Test
    void liveCommandsExitTwoWhenHerdIsUnreachableOrTheUsageIsWrong() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        JarCommand status = JarCommand.run("status", "--url", "http://127.0.0.1:" + closed, "--timeout", "2");
        assertThat(status.exit()).isEqualTo(2);
        assertThat(status.out()).isEmpty();
        assertThat(status.err()).startsWith("status: ").contains("127.0.0.1:" + closed);

        JarCommand usage = JarCommand.run("plan", "--output", "yaml");
        assertThat(usage.exit()).isEqualTo(2);
        assertThat(usage.err()).contains("--output");
    }
}
