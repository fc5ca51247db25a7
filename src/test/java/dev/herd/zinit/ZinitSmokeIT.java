package dev.herd.zinit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herd.testing.PrivateServers;
import dev.herd.testing.PrivateZinit;
import dev.herd.zinit.transport.JsonRpcTransport;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rig works: a real zinit-server runs a real process for us, and lets it go again. */
class ZinitSmokeIT {
    private static final Duration T = Duration.ofSeconds(5);

    @Test
    void addsRunsStopsAndRemovesARealProcess() {
        PrivateZinit server = PrivateServers.zinit();
        try (ZinitClient zinit = ZinitClients.connect(server.socket(), "v0.3", T, JsonRpcTransport.Options.defaults())) {
            assertThat(zinit.ping().await().atMost(T)).isEqualTo("0.3.9");

            zinit.create(ServiceSpec.of("smoke-sleep", new Command.Argv(List.of("sleep", "300")))).await().atMost(T);

            ServiceStatus running = await().atMost(T).until(() -> zinit.status("smoke-sleep").await().atMost(T),
                    s -> s.state() == ServiceState.RUNNING && s.pid() > 0);
            ProcessHandle process = ProcessHandle.of(running.pid()).orElseThrow();
            assertThat(process.isAlive()).isTrue();
            assertThat(process.info().commandLine().orElse("")).contains("sleep 300");

            zinit.stop("smoke-sleep").await().atMost(T);
            await().atMost(T).until(() -> !process.isAlive());

            zinit.delete("smoke-sleep").await().atMost(T);
            assertThat(zinit.list().await().atMost(T)).extracting(ServiceStatus::name).doesNotContain("smoke-sleep");
        }
    }
}
