package dev.herd.zinit.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herd.testing.PrivateServers;
import dev.herd.zinit.ZinitClient;
import dev.herd.zinit.ZinitClients;
import dev.herd.zinit.ZinitException;
import dev.herd.zinit.fake.FakeLegacyZinitServer;
import dev.herd.zinit.fake.FakeSocketServer;
import dev.herd.zinit.fake.FakeZinitV02Server;
import dev.herd.zinit.legacy.LegacyZinitClient;
import dev.herd.zinit.transport.JsonRpcTransport;
import dev.herd.zinit.v02.ZinitV02Client;
import io.smallrye.mutiny.Uni;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** herd.zinit.dialect=auto finds the right dialect for each fake and for the real zinit-server (v0.3). */
class DialectDetectionIT {
    private static final Duration T = Duration.ofSeconds(5);
    private static final JsonRpcTransport.Options OPTIONS = new JsonRpcTransport.Options(2, 64, Duration.ofMillis(20), Duration.ofMillis(200));

    private static ZinitClient auto(Path socket, Duration timeout) {
        return ZinitClients.connect(socket, "auto", timeout, OPTIONS);
    }

    private static <R> R get(Uni<R> uni) {
        return uni.await().atMost(T);
    }

    @Test
    void theRealZinitServerIsV03() {
        try (ZinitClient zinit = auto(PrivateServers.zinit().socket(), T)) {
            assertThat(zinit.dialect()).isEqualTo("auto");
            assertThat(get(zinit.ping())).isEqualTo("0.3.9");
            assertThat(zinit.dialect()).isEqualTo("v0.3");
        }
    }

    @ParameterizedTest
    @EnumSource(FakeZinitV02Server.ErrorStyle.class)
    void theV02FakeIsV02WhateverItsErrorStyle(FakeZinitV02Server.ErrorStyle style) {
        try (FakeZinitV02Server fake = FakeZinitV02Server.start(Duration.ofSeconds(2)).errorStyle(style);
             ZinitClient zinit = auto(fake.socket(), T)) {
            assertThat(get(zinit.list())).isEmpty();
            assertThat(zinit.dialect()).isEqualTo("v0.2");
            assertThat(fake.transcript().lines()).anyMatch(l -> l.startsWith("> ") && l.contains("system.ping"));
        }
    }

    @Test
    void theLegacyFakeIsLegacyAndConcurrentFirstCallsShareOneProbe() {
        try (FakeLegacyZinitServer fake = FakeLegacyZinitServer.start(Duration.ofSeconds(2));
             ZinitClient zinit = auto(fake.socket(), T)) {
            List<Uni<String>> pings = IntStream.range(0, 8).mapToObj(i -> zinit.ping()).toList();

            assertThat(get(Uni.join().all(pings).andFailFast())).containsOnly("legacy");
            assertThat(zinit.dialect()).isEqualTo("legacy");
            assertThat(fake.transcript().lines()).filteredOn(l -> l.startsWith("> {")).hasSize(1);
        }
    }

    @Test
    void constructingDoesNoIoAndAFailedProbeIsTriedAgain() {
        try (FakeLegacyZinitServer fake = FakeLegacyZinitServer.start(Duration.ofSeconds(2))) {
            fake.stop();
            try (ZinitClient zinit = auto(fake.socket(), T)) {
                assertThatThrownBy(() -> get(zinit.ping())).isInstanceOf(ZinitException.ZinitUnavailable.class);
                assertThat(zinit.dialect()).isEqualTo("auto");

                fake.start();
                assertThat(get(zinit.ping())).isEqualTo("legacy");
            }
        }
    }

    @Test
    void aSilentSocketTimesOutAndIsProbedAgainLater() {
        try (FakeZinitV02Server fake = FakeZinitV02Server.start(Duration.ofSeconds(2))) {
            fake.silenceAll();
            try (ZinitClient zinit = auto(fake.socket(), Duration.ofMillis(300))) {
                long started = System.nanoTime();
                assertThatThrownBy(() -> get(zinit.list())).isInstanceOf(ZinitException.Timeout.class);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));

                fake.answerNormally();
                assertThat(get(zinit.list())).isEmpty();
                assertThat(zinit.dialect()).isEqualTo("v0.2");
            }
        }
    }

    @Test
    void eachDialectCanBeChosenExplicitly() {
        Path nowhere = Path.of("/tmp/herd-no-such.sock");
        try (ZinitClient v02 = ZinitClients.connect(nowhere, "v0.2", T, OPTIONS);
             ZinitClient legacy = ZinitClients.connect(nowhere, "legacy", T, OPTIONS)) {
            assertThat(v02).isInstanceOf(ZinitV02Client.class);
            assertThat(legacy).isInstanceOf(LegacyZinitClient.class);
        }
        assertThatThrownBy(() -> ZinitClients.connect(nowhere, "v9", T, OPTIONS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("auto, v0.3, v0.2 or legacy").hasMessageContaining("'v9'");
    }

    @Test
    void aFakeIsNeverMistakenForAnother() {
        for (FakeSocketServer fake : List.<FakeSocketServer>of(FakeZinitV02Server.start(Duration.ofSeconds(2)),
                FakeLegacyZinitServer.start(Duration.ofSeconds(2)))) {
            try (fake; var probe = new dev.herd.zinit.transport.LineProtocolTransport(fake.socket(), 1, 4)) {
                Dialect expected = fake instanceof FakeZinitV02Server ? Dialect.V02 : Dialect.LEGACY;
                assertThat(get(DialectProbe.detect(probe, T))).isEqualTo(expected);
            }
        }
    }
}
