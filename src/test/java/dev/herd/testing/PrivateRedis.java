package dev.herd.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A private {@code redis-server}: loopback, a free port, no persistence. */
public final class PrivateRedis implements AutoCloseable {
    private final int port;
    private final Path dir;
    private final List<String> persistence;
    private ManagedProcess process;
    private String password = "";

    private PrivateRedis(int port, Path dir, List<String> persistence) {
        this.port = port;
        this.dir = dir;
        this.persistence = persistence;
    }

    public static PrivateRedis start() {
        return start(List.of("--save", "", "--appendonly", "no"));
    }

    /**
     * A Redis that keeps its data across {@link #stop()} and {@link #launch()}, as a production one
     * does: every write is in the append-only file before it is acknowledged.
     */
    public static PrivateRedis startDurable() {
        return start(List.of("--save", "", "--appendonly", "yes", "--appendfsync", "always"));
    }

    /** A Redis that asks for {@code password} (AUTH); its {@link #url()} carries it, as a production URL does. */
    public static PrivateRedis startWithPassword(String password) {
        PrivateRedis redis = start(List.of("--save", "", "--appendonly", "no", "--requirepass", password));
        redis.password = password;
        return redis;
    }

    private static PrivateRedis start(List<String> persistence) {
        try {
            Path dir = Files.createTempDirectory("herd-redis-");
            PrivateRedis redis = new PrivateRedis(freePort(), dir, persistence);
            redis.launch();
            return redis;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server: " + e.getMessage(), e);
        }
    }

    /** Starts the server again on the same port (after {@link #stop()}), as a Redis restart does. */
    public void launch() throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(ManagedProcess.executable("redis-server"),
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString()));
        command.addAll(persistence);
        process = ManagedProcess.start("redis-server", dir.resolve("redis.log"), command);
        process.awaitReady(Duration.ofSeconds(10), this::answersPing);
    }

    public void stop() {
        if (process != null) {
            process.close();
            process = null;
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://" + (password.isEmpty() ? "" : ":" + password + "@") + "127.0.0.1:" + port;
    }

    public boolean answersPing() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            s.setSoTimeout(500);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            byte[] buf = new byte[7];
            int n = in.read(buf);
            String answer = n > 0 ? new String(buf, 0, n, StandardCharsets.US_ASCII) : "";
            return answer.startsWith("+PONG") || answer.startsWith("-NOAUTH"); // up, and asking for its password
        } catch (IOException e) {
            return false;
        }
    }

    /** What {@code redis-cli --raw} prints for this command, stripped (one line per element). */
    public String cli(String... args) throws IOException, InterruptedException {
        List<String> argv = new java.util.ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port), "--raw"));
        if (!password.isEmpty()) {
            argv.addAll(List.of("--no-auth-warning", "-a", password));
        }
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        if (!p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("redis-cli did not answer in 5 s");
        }
        return new String(p.getInputStream().readAllBytes()).strip();
    }

    public List<Long> serverPids() {
        return process == null ? List.of() : process.serverPids();
    }

    @Override
    public void close() {
        stop();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
