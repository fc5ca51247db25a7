package dev.herd.zinit.fake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A Unix-socket server in a temporary directory with a {@link FakeSupervisor} behind it. It can be
 * stopped and started again on the same path (the supervisor and its processes carry on, as if only
 * the socket went away) to test reconnects. One thread per connection: fine for a test fake.
 */
public abstract class FakeSocketServer implements AutoCloseable {
    protected final FakeSupervisor supervisor;
    protected final Transcript transcript = new Transcript();
    private final Path dir;
    private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
    private ServerSocketChannel server;

    protected FakeSocketServer(String prefix, Duration respawnDelay) {
        try {
            // Under /tmp: a Unix socket path must stay short (108 bytes).
            this.dir = Files.createTempDirectory(Path.of("/tmp"), prefix);
            this.supervisor = new FakeSupervisor(dir.resolve("services"), respawnDelay);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** From now on, read requests but never answer them (the connection stays open). */
    public abstract FakeSocketServer silenceAll();

    /** Undoes {@link #silenceAll()} and any other answer-shaping setting. */
    public abstract FakeSocketServer answerNormally();

    /** Puts a service file in place and monitors it, as zinit does at boot for each file in its dir. */
    public void install(String name, com.fasterxml.jackson.databind.node.ObjectNode config) {
        supervisor.install(name, config);
    }

    /** Serves one accepted connection until it closes. */
    protected abstract void serve(SocketChannel channel) throws IOException;

    public Path socket() {
        return dir.resolve("zinit.sock");
    }

    public Path configDir() {
        return supervisor.configDir();
    }

    public Transcript transcript() {
        return transcript;
    }

    /** Listens on {@link #socket()}; also after {@link #stop()}. */
    public synchronized void start() {
        try {
            Files.deleteIfExists(socket());
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ServerSocketChannel listening = server;
        Thread acceptor = new Thread(() -> accept(listening), "fake-zinit-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept(ServerSocketChannel listening) {
        while (listening.isOpen()) {
            try {
                SocketChannel channel = listening.accept();
                connections.add(channel);
                Thread t = new Thread(() -> {
                    try (channel) {
                        serve(channel);
                    } catch (IOException e) {
                        // the client went away
                    } finally {
                        connections.remove(channel);
                    }
                }, "fake-zinit-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed by stop()
            }
        }
    }

    /** Closes the socket and every open connection, as a Zinit that goes down does; processes keep running. */
    public synchronized void stop() {
        try {
            if (server != null) {
                server.close();
                server = null;
            }
            for (SocketChannel c : connections) {
                c.close();
            }
            Files.deleteIfExists(socket());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected static void write(SocketChannel channel, String text) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        synchronized (channel) {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
    }

    @Override
    public void close() {
        stop();
        supervisor.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }
}
