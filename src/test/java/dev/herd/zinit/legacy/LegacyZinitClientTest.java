package dev.herd.zinit.legacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herd.zinit.Command;
import dev.herd.zinit.ServiceSpec;
import dev.herd.zinit.ZinitClient;
import dev.herd.zinit.ZinitException;
import dev.herd.zinit.fake.FakeLegacyZinitServer;
import dev.herd.zinit.fake.FakeSocketServer;
import dev.herd.zinit.threefold.ThreefoldClientContract;
import dev.herd.zinit.transport.LineProtocolTransport;
import io.smallrye.mutiny.Uni;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The legacy line-protocol client against {@link FakeLegacyZinitServer}: the shared contract, plus its gaps. */
class LegacyZinitClientTest extends ThreefoldClientContract {

    @Override
    protected FakeSocketServer startServer() {
        return FakeLegacyZinitServer.start(RESPAWN);
    }

    @Override
    protected ZinitClient connect(Path socket, Duration timeout) {
        return new LegacyZinitClient(new LineProtocolTransport(socket, 4, 64), timeout, GRACE);
    }

    @Test
    void pingIsAList() {
        assertThat(get(zinit.ping())).isEqualTo("legacy");
        assertThat(server.transcript().lines()).containsExactly("> list", "< {\"state\":\"ok\",\"body\":{}}");
    }

    @Test
    void whatTheProtocolLacksFailsNamingDialectAndOperation() {
        Map<String, Uni<?>> calls = Map.of(
                "create", zinit.create(ServiceSpec.of("x", new Command.Argv(List.of("true")))),
                "delete", zinit.delete("x"),
                "env", zinit.env("x"),
                "stats", zinit.stats("x"));
        calls.forEach((operation, call) -> assertThatThrownBy(() -> get(call))
                .isInstanceOf(ZinitException.UnsupportedOperation.class)
                .hasMessageContaining("legacy").hasMessageContaining("'" + operation + "'"));
        assertThat(server.transcript().lines()).isEmpty();
    }

    @Test
    void aSignalThatIsNotOneWordIsRefusedBeforeAnythingIsSent() {
        assertThatThrownBy(() -> get(zinit.kill("x", "TERM stop y"))).isInstanceOf(ZinitException.Rejected.class);
        assertThat(server.transcript().lines()).isEmpty();
    }

    @Test
    void aLogSnapshotIsReadRawOrInTheEnvelope() {
        assertThat(LegacyZinitClient.logLines("[+] a: one\n[-] a: two\n")).containsExactly("[+] a: one", "[-] a: two");
        assertThat(LegacyZinitClient.logLines("{\"state\":\"ok\",\"body\":[\"[+] a: one\"]}")).containsExactly("[+] a: one");
        assertThat(LegacyZinitClient.logLines("{\"state\":\"ok\",\"body\":\"[+] a: one\\n[+] a: two\"}"))
                .containsExactly("[+] a: one", "[+] a: two");
    }

    @Test
    void aReplyThatIsNotTheEnvelopeIsAProtocolErrorWithTheRawText() {
        assertThatThrownBy(() -> LegacyZinitClient.body("list", "", "<html>"))
                .isInstanceOfSatisfying(ZinitException.ProtocolError.class, e -> assertThat(e.rawReply()).isEqualTo("<html>"));
        assertThatThrownBy(() -> LegacyZinitClient.body("list", "", ""))
                .isInstanceOf(ZinitException.ProtocolError.class).hasMessageContaining("without a reply");
    }
}
