package dev.herd.zinit.fake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays the recorded transcripts under src/test/resources/zinit/ against the fakes, byte for byte
 * but for pids and memory figures. Run with {@code -Dherd.record-transcripts=true} to re-record:
 * the {@code >} and {@code =} lines are kept, the {@code <} lines rewritten from what the fake says.
 */
class TranscriptReplayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final boolean RECORD = Boolean.getBoolean("herd.record-transcripts");
    private static final Duration READ_LIMIT = Duration.ofSeconds(5);

    @ParameterizedTest
    @ValueSource(strings = {"v02/lifecycle", "v02/errors-codes", "v02/errors-bare", "v02/pipelined", "legacy/lifecycle"})
    void theFakeStillSaysWhatWasRecorded(String fixture) throws Exception {
        List<String> script = Files.readAllLines(source(fixture));
        boolean legacy = fixture.startsWith("legacy/");
        List<String> recorded = new ArrayList<>();
        try (FakeSocketServer fake = legacy ? FakeLegacyZinitServer.start(Duration.ofSeconds(2)) : FakeZinitV02Server.start(Duration.ofSeconds(2));
             Peer peer = legacy ? new LegacyPeer(fake.socket()) : new V02Peer(fake.socket())) {
            for (String line : script) {
                if (line.startsWith("< ") || line.isBlank()) {
                    continue; // replies are what is checked, by comparing the whole transcript below
                }
                recorded.add(line);
                if (line.startsWith("> ")) {
                    peer.send(line.substring(2));
                    peer.replies().forEach(r -> recorded.add("< " + normalise(r)));
                } else if (line.startsWith("= ")) {
                    directive(fake, line.substring(2));
                }
            }
        }
        if (RECORD) {
            Files.write(source(fixture), recorded);
        } else {
            assertThat(recorded).as("replay of %s", fixture)
                    .containsExactlyElementsOf(script.stream().filter(l -> !l.isBlank()).toList());
        }
    }

    private static void directive(FakeSocketServer fake, String directive) throws Exception {
        String[] words = directive.split(" ", 3);
        switch (words[0]) {
            case "pause" -> Thread.sleep(Long.parseLong(words[1]));
            case "errors" -> ((FakeZinitV02Server) fake).errorStyle(FakeZinitV02Server.ErrorStyle.BARE_INTERNAL_ERROR);
            case "install" -> fake.install(words[1], (ObjectNode) JSON.readTree(words[2]));
            default -> throw new IllegalArgumentException("unknown directive: " + directive);
        }
    }

    static String normalise(String reply) {
        return reply.replaceAll("\"pid\":[1-9]\\d*", "\"pid\":<pid>")
                .replaceAll("Pid\\(\\d+\\)", "Pid(<pid>)")
                .replaceAll("\"memory_usage\":\\d+", "\"memory_usage\":<bytes>");
    }

    private static Path source(String fixture) {
        return Path.of("src/test/resources/zinit", fixture + ".transcript");
    }

    private interface Peer extends AutoCloseable {
        void send(String line) throws IOException;

        /** The replies to what was last sent. */
        List<String> replies() throws Exception;

        @Override
        void close() throws IOException;
    }

    /** One persistent connection; as many reply lines as requests in the line sent. */
    private static final class V02Peer implements Peer {
        private final SocketChannel channel;
        private final InputStream in;
        private int expected;

        V02Peer(Path socket) throws IOException {
            channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
            in = Channels.newInputStream(channel);
        }

        @Override
        public void send(String line) throws IOException {
            expected = new JsonSplitter().feed(line.toCharArray(), line.length()).size();
            channel.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public List<String> replies() throws Exception {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < expected; i++) {
                lines.add(CompletableFuture.supplyAsync(this::readLine).get(READ_LIMIT.toMillis(), TimeUnit.MILLISECONDS));
            }
            return lines;
        }

        private String readLine() {
            try {
                ByteArrayOutputStream line = new ByteArrayOutputStream();
                int b;
                while ((b = in.read()) >= 0 && b != '\n') {
                    line.write(b);
                }
                return line.toString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** A connection per command; the reply is whatever comes before the server hangs up. */
    private static final class LegacyPeer implements Peer {
        private final Path socket;
        private CompletableFuture<String> reply;

        LegacyPeer(Path socket) {
            this.socket = socket;
        }

        @Override
        public void send(String line) {
            reply = CompletableFuture.supplyAsync(() -> {
                try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                    channel.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
                    return new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        @Override
        public List<String> replies() throws Exception {
            return reply.get(READ_LIMIT.toMillis(), TimeUnit.MILLISECONDS).lines().toList();
        }

        @Override
        public void close() {
        }
    }
}
