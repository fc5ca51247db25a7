package dev.herd.zinit.fake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The fakes keep the promises their class comments make, checked on the raw socket. */
class FakeServersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Methods of the spec the fake does not implement, on purpose (see its class comment). */
    private static final Set<String> NOT_FAKED = Set.of("stream_subscribeLogs", "system_shutdown", "system_reboot",
            "system_start_http_server", "system_stop_http_server");

    private static void write(SocketChannel channel, String text) throws Exception {
        channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String line(InputStream in) throws Exception {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.append((char) b);
        }
        return line.toString();
    }

    @Test
    void theV02FakeKnowsEveryMethodOfTheSpecButThoseItSaysItDoesNot() throws Exception {
        JsonNode spec = JSON.readTree(getClass().getResourceAsStream("/zinit/v02/openrpc.json"));
        try (FakeZinitV02Server fake = FakeZinitV02Server.start(Duration.ofSeconds(2));
             SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(fake.socket()))) {
            InputStream in = Channels.newInputStream(channel);
            List<String> unknown = new ArrayList<>();
            int id = 0;
            for (JsonNode method : spec.path("methods")) {
                String name = method.path("name").asText();
                write(channel, "{\"jsonrpc\":\"2.0\",\"id\":" + ++id + ",\"method\":\"" + name + "\",\"params\":[\"x\",\"SIGTERM\"]}\n");
                if (JSON.readTree(line(in)).path("error").path("code").asInt() == -32601) {
                    unknown.add(name);
                }
            }
            assertThat(id).isGreaterThan(10);
            assertThat(unknown).containsExactlyInAnyOrderElementsOf(NOT_FAKED);
        }
    }

    @Test
    void theV02FakeJoinsARequestSplitAcrossWritesAndEndsRepliesWithANewline() throws Exception {
        try (FakeZinitV02Server fake = FakeZinitV02Server.start(Duration.ofSeconds(2));
             SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(fake.socket()))) {
            write(channel, "{\"jsonrpc\":\"2.0\",\"id\":7,\"met");
            Thread.sleep(50);
            write(channel, "hod\":\"service_list\",\"params\":[]}");
            byte[] reply = new byte[64];
            int n = Channels.newInputStream(channel).read(reply);
            assertThat(new String(reply, 0, n, StandardCharsets.UTF_8)).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":{},\"id\":7}\n");
        }
    }

    @Test
    void theLegacyFakeHangsUpAfterItsReply() throws Exception {
        try (FakeLegacyZinitServer fake = FakeLegacyZinitServer.start(Duration.ofSeconds(2));
             SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(fake.socket()))) {
            write(channel, "list\n");
            byte[] all = Channels.newInputStream(channel).readAllBytes();
            assertThat(new String(all, StandardCharsets.UTF_8)).isEqualTo("{\"state\":\"ok\",\"body\":{}}");
        }
    }

    @Test
    void shellWordsUndoPosixQuoting() {
        assertThat(ShellWords.split("printf '%s|%s\\n' 'a b' 'it'\\''s $(id)'"))
                .containsExactly("printf", "%s|%s\\n", "a b", "it's $(id)");
        assertThat(ShellWords.split("sh -c \"echo \\\"hi\\\"\"  x\\ y")).containsExactly("sh", "-c", "echo \"hi\"", "x y");
    }
}
