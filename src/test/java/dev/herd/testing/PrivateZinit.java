package dev.herd.testing;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A private {@code zinit-server} (crates.io 0.3.x) on a temporary socket and config directory. */
public final class PrivateZinit implements AutoCloseable {
    private final Path dir;
    private ManagedProcess process;

    private PrivateZinit(Path dir) {
        this.dir = dir;
    }

    public static PrivateZinit start() {
        try {
            // Under /tmp: a Unix socket path must stay short (108 bytes).
            PrivateZinit zinit = new PrivateZinit(Files.createTempDirectory(Path.of("/tmp"), "herd-zinit-"));
            zinit.launch();
            return zinit;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start zinit-server: " + e.getMessage(), e);
        }
    }

    /** Starts the server (again, after {@link #stop()}) on the same socket and config directory. */
    public void launch() throws IOException {
        Files.createDirectories(configDir());
        Path link = cliHome().resolve("hero/var/zinit.sock");
        if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, socket());
        }
        process = ManagedProcess.start("zinit-server", dir.resolve("zinit.log"), List.of(
                ManagedProcess.executable("zinit-server"), "--socket", socket().toString(),
                "--config-dir", configDir().toString(), "--log-level", "info"),
                // zinit-server exits on SIGTERM without stopping its services; `zinit shutdown` stops them
                // first. The 0.3.9 CLI ignores -s and only knows $HOME/hero/var/zinit.sock, hence the link.
                "HOME=" + cliHome() + " " + ManagedProcess.executable("zinit") + " shutdown",
                // every service inherits this, so close() can find what a test left running
                java.util.Map.of(MARKER, dir.toString(), "HERD_WATCHDOG_SWEEP", MARKER + "=" + dir));
        process.awaitReady(Duration.ofSeconds(10), this::answersPing);
    }

    /** Stops the server gracefully: its services are stopped first, as {@code zinit shutdown} does. */
    public void stop() {
        if (process != null) {
            process.close();
            process = null;
        }
    }

    /**
     * Kills zinit-server with SIGKILL, as a crash would. Its services keep running, orphaned; a
     * later {@link #launch()} starts them again from the config directory (so the old processes
     * must be cleaned up by the caller: see {@link #killOrphans(java.util.Collection)}).
     */
    public void crash() {
        if (process != null) {
            process.killServer();
            process = null;
        }
    }

    /**
     * A host restart as the services see it: zinit-server and every process it started die at once
     * (SIGKILL, as at a power cut or when a container's cgroup is killed). A later {@link #launch()}
     * is the host coming back: Zinit starts its services again from the config directory.
     */
    public void crashHost() {
        crash();
        killMarked(MARKER + "=" + dir);
    }

    /** Ends processes left behind by a crashed server. */
    public static void killOrphans(java.util.Collection<Integer> pids) {
        pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }));
    }

    public Path socket() {
        return dir.resolve("zinit.sock");
    }

    /** A HOME under which the zinit CLI finds this server's socket (see {@link #launch()}). */
    public Path cliHome() {
        return dir.resolve("cli-home");
    }

    public Path configDir() {
        return dir.resolve("services");
    }

    public String log() {
        return process == null ? "" : process.tail();
    }

    public List<Long> serverPids() {
        return process == null ? List.of() : process.serverPids();
    }

    /** True when the socket answers a JSON-RPC system.ping. */
    public boolean answersPing() {
        if (!Files.exists(socket())) {
            return false;
        }
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket()))) {
            ch.write(ByteBuffer.wrap("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"system.ping\"}\n".getBytes(StandardCharsets.UTF_8)));
            ch.configureBlocking(false);
            try (Selector selector = Selector.open()) {
                ch.register(selector, SelectionKey.OP_READ);
                if (selector.select(1000) == 0) {
                    return false; // accepted but silent: a hung server is not ready
                }
            }
            ByteBuffer buf = ByteBuffer.allocate(256);
            return ch.read(buf) > 0 && new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).contains("version");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Stops the server, then ends anything its services left behind. A test run ends with workers
     * still finishing jobs or stopping (a graceful stop may outlast the JVM's exit), and Zinit 0.3.9
     * can lose track of a process; teardown must leave nothing running either way.
     */
    @Override
    public void close() {
        stop();
        killMarked(MARKER + "=" + dir);
    }

    private static final String MARKER = "HERD_TEST_ZINIT";

    /** SIGKILLs every process whose environment holds {@code entry} (found through /proc). */
    static void killMarked(String entry) {
        byte[] wanted = entry.getBytes(StandardCharsets.UTF_8);
        try (var procs = Files.list(Path.of("/proc"))) {
            procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                try {
                    byte[] environ = Files.readAllBytes(p.resolve("environ"));
                    if (containsEntry(environ, wanted)) {
                        ProcessHandle.of(Long.parseLong(p.getFileName().toString())).ifPresent(ProcessHandle::destroyForcibly);
                    }
                } catch (IOException | RuntimeException gone) {
                    // exited meanwhile, or not ours to read
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc: " + e.getMessage(), e);
        }
    }

    private static boolean containsEntry(byte[] environ, byte[] entry) {
        int start = 0;
        for (int i = 0; i <= environ.length; i++) {
            if (i == environ.length || environ[i] == 0) {
                if (i - start == entry.length && java.util.Arrays.equals(environ, start, i, entry, 0, entry.length)) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }
}
