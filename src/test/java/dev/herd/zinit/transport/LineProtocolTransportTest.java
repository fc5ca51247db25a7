package dev.herd.zinit.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herd.zinit.ZinitException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every way a line-protocol peer can misbehave ends in a typed failure within the deadline. */
class LineProtocolTransportTest {
    private static final Duration SHORT = Duration.ofMillis(300);
    private Path dir;
    private Path socket;
    private ServerSocketChannel server;
    private final List<SocketChannel> accepted = new ArrayList<>();

    @BeforeEach
    void listen() throws IOException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "herd-line-");
        socket = dir.resolve("s.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
    }

    @AfterEach
    void close() throws IOException {
        for (SocketChannel c : accepted) {
            c.close();
        }
        server.close();
        Files.deleteIfExists(socket);
        Files.deleteIfExists(dir);
    }

    /** Accepts one connection and answers it with {@code reply} (null: stay silent and open). */
    private void answerOnce(String reply, boolean hangUp) {
        Thread t = new Thread(() -> {
            try {
                SocketChannel c = server.accept();
                accepted.add(c);
                c.read(ByteBuffer.allocate(1024));
                if (reply != null) {
                    c.write(ByteBuffer.wrap(reply.getBytes(StandardCharsets.UTF_8)));
                }
                if (hangUp) {
                    c.close();
                }
            } catch (IOException e) {
                // test over
            }
        });
        t.setDaemon(true);
        t.start();
    }

    @Test
    void aSilentServerCostsATimeout() {
        answerOnce(null, false);
        try (var transport = new LineProtocolTransport(socket, 1, 4)) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> transport.exchange("list", SHORT, LineProtocolTransport.Until.CLOSE).await().atMost(Duration.ofSeconds(5)))
                    .isInstanceOf(ZinitException.Timeout.class).hasMessageContaining("list");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void aFirstLineIsEnoughWhenTheServerKeepsTheConnectionOpen() {
        answerOnce("{\"ok\":1}\nmore", false);
        try (var transport = new LineProtocolTransport(socket, 1, 4)) {
            assertThat(transport.exchange("ping", SHORT, LineProtocolTransport.Until.FIRST_LINE).await().atMost(Duration.ofSeconds(5)))
                    .isEqualTo("{\"ok\":1}");
        }
    }

    @Test
    void aReplyWithoutNewlineEndsWhenTheServerHangsUp() {
        answerOnce("{\"state\":\"ok\",\"body\":null}", true);
        try (var transport = new LineProtocolTransport(socket, 1, 4)) {
            assertThat(transport.exchange("start x", SHORT, LineProtocolTransport.Until.FIRST_LINE).await().atMost(Duration.ofSeconds(5)))
                    .isEqualTo("{\"state\":\"ok\",\"body\":null}");
        }
    }

    @Test
    void noServerIsZinitUnavailable() throws IOException {
        server.close();
        Files.delete(socket);
        try (var transport = new LineProtocolTransport(socket, 1, 4)) {
            assertThatThrownBy(() -> transport.exchange("list", SHORT, LineProtocolTransport.Until.CLOSE).await().atMost(Duration.ofSeconds(5)))
                    .isInstanceOf(ZinitException.ZinitUnavailable.class).hasMessageContaining("cannot connect");
        }
    }

    @Test
    void moreWaitingCallsThanTheBoundAreOverloaded() {
        try (var transport = new LineProtocolTransport(socket, 1, 1)) {
            // one runs (accepted by the backlog, never answered), one waits, the third is refused
            List<CompletableFuture<String>> calls = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                calls.add(transport.exchange("list", SHORT, LineProtocolTransport.Until.CLOSE).subscribeAsCompletionStage());
            }
            assertThatThrownBy(() -> transport.exchange("list", SHORT, LineProtocolTransport.Until.CLOSE).await().atMost(Duration.ofSeconds(5)))
                    .isInstanceOf(ZinitException.Overloaded.class);
            calls.forEach(c -> c.exceptionally(e -> "").join());
        }
    }

    @Test
    void aCommandIsOneLine() {
        try (var transport = new LineProtocolTransport(socket, 1, 1)) {
            assertThatThrownBy(() -> transport.exchange("stop a\nstart b", SHORT, LineProtocolTransport.Until.CLOSE))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
