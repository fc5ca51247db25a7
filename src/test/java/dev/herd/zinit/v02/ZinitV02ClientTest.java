package dev.herd.zinit.v02;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.herd.zinit.Command;
import dev.herd.zinit.ServiceSpec;
import dev.herd.zinit.ServiceStatus;
import dev.herd.zinit.ZinitClient;
import dev.herd.zinit.ZinitException;
import dev.herd.zinit.fake.FakeSocketServer;
import dev.herd.zinit.fake.FakeZinitV02Server;
import dev.herd.zinit.fake.FakeZinitV02Server.ErrorStyle;
import dev.herd.zinit.threefold.ThreefoldClientContract;
import dev.herd.zinit.transport.JsonRpcTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The v0.2 client against {@link FakeZinitV02Server}: the shared contract, plus what only v0.2 has. */
class ZinitV02ClientTest extends ThreefoldClientContract {
    /** One connection, so out-of-order replies really share it; short backoff for the restart test. */
    private static final JsonRpcTransport.Options ONE_CONNECTION =
            new JsonRpcTransport.Options(1, 64, Duration.ofMillis(20), Duration.ofMillis(200));

    @Override
    protected FakeSocketServer startServer() {
        return FakeZinitV02Server.start(RESPAWN);
    }

    @Override
    protected ZinitClient connect(Path socket, Duration timeout) {
        return new ZinitV02Client(new JsonRpcTransport(socket, ONE_CONNECTION), timeout, GRACE);
    }

    private FakeZinitV02Server fake() {
        return (FakeZinitV02Server) server;
    }

    private static ServiceSpec sleeper(String name) {
        return ServiceSpec.of(name, new Command.Argv(List.of("sleep", "300")));
    }

    /** v0.2 splits exec like a shell and runs it without one: the wrapper execs down to the worker, keeping its pid. */
    @Test
    void aWrappedWorkerRunsAsItsUserUnderItsLimits() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.readString(Path.of("/proc/self/status")).contains("Uid:\t0\t"),
                "changing user needs root");
        Command wrapped = dev.herd.launch.LaunchWrapper.wrap(new Command.Argv(List.of("sleep", "300")),
                java.util.Optional.of(new dev.herd.launch.RunAs(java.util.OptionalInt.of(65534), 65534, true)),
                new dev.herd.desired.Limits(java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(),
                        java.util.Optional.of(32L), java.util.Optional.empty(), java.util.Optional.empty()), dev.herd.launch.LaunchWrapper.Tools.DEFAULT);
        get(zinit.create(ServiceSpec.of("limited", wrapped)));

        int pid = await().atMost(T).until(() -> {
            ServiceStatus s = running("limited");
            return ProcessHandle.of(s.pid()).flatMap(h -> h.info().command()).orElse("").endsWith("sleep") ? s.pid() : 0;
        }, p -> p > 0);
        assertThat(dev.herd.testing.Procs.line(pid, "status", "Uid:")).isEqualTo("Uid:\t65534\t65534\t65534\t65534");
        assertThat(dev.herd.testing.Procs.line(pid, "limits", "Max open files")).matches("Max open files +32 +32 +files *");
    }

    @Test
    void pingReadsTheApiVersionFromTheOpenRpcDocument() {
        assertThat(get(zinit.ping())).isEqualTo("v0.2 (API 1.0.0)");
    }

    @Test
    void createWritesTheFileAndMonitorStartsIt() throws Exception {
        get(zinit.create(sleeper("made").withEnv(Map.of("HERD_POOL", "osis"))));

        assertThat(running("made").target()).isEqualTo(ServiceStatus.Target.UP);
        assertThat(get(zinit.env("made"))).containsEntry("HERD_POOL", "osis");
        assertThat(Files.readString(server.configDir().resolve("made.yaml")))
                .contains("exec: \"sleep 300\"").contains("oneshot: false").contains("stop: \"sigterm\"");
        assertThat(server.transcript().lines()).filteredOn(l -> l.startsWith(">")).extracting(l -> l.replaceAll(".*\"method\":\"([^\"]+)\".*", "$1"))
                .startsWith("service_create", "service_monitor");
    }

    @Test
    void paramsArePositional() {
        get(zinit.create(sleeper("positional")));

        assertThat(server.transcript().lines().get(0)).contains("\"params\":[\"positional\",{");
    }

    @ParameterizedTest
    @EnumSource(ErrorStyle.class)
    void failuresAreTypedWhetherCodedOrBare(ErrorStyle style) {
        fake().errorStyle(style);
        get(zinit.create(sleeper("taken")));
        running("taken");

        assertThatThrownBy(() -> get(zinit.create(sleeper("taken")))).isInstanceOf(ZinitException.AlreadyExists.class);
        assertThatThrownBy(() -> get(zinit.status("ghost"))).isInstanceOf(ZinitException.ServiceNotFound.class);
        assertThatThrownBy(() -> get(zinit.env("ghost"))).isInstanceOf(ZinitException.ServiceNotFound.class);
        assertThatThrownBy(() -> get(zinit.kill("taken", "SIGNOPE")))
                .isInstanceOfSatisfying(ZinitException.Rejected.class, e -> assertThat(e.code())
                        .isEqualTo(style == ErrorStyle.CODES ? -32004 : -32603));
        get(zinit.stop("taken"));
        await().atMost(T).until(() -> get(zinit.status("taken")).pid() == 0);
        assertThatThrownBy(() -> get(zinit.stats("taken"))).isInstanceOf(ZinitException.WrongState.class);
    }

    @Test
    void aFileZinitRefusesToLoadIsRemovedAgainButNotAfterATimeout() {
        fake().refuseWithConfigError("service_monitor");
        assertThatThrownBy(() -> get(zinit.create(sleeper("refused"))))
                .isInstanceOfSatisfying(ZinitException.Rejected.class, e -> assertThat(e.code()).isEqualTo(-32005));
        assertThat(server.configDir().resolve("refused.yaml")).doesNotExist();

        fake().answerNormally().silence("service_monitor");
        try (ZinitClient impatient = connect(server.socket(), Duration.ofMillis(300))) {
            assertThatThrownBy(() -> get(impatient.create(sleeper("unsure")))).isInstanceOf(ZinitException.Timeout.class);
        }
        assertThat(server.configDir().resolve("unsure.yaml")).exists();
    }

    @Test
    void deleteStopsForgetsAndRemovesTheFile() {
        get(zinit.create(sleeper("doomed")));
        int pid = running("doomed").pid();

        get(zinit.delete("doomed"));

        assertThat(alive(pid)).isFalse();
        assertThat(get(zinit.list())).extracting(ServiceStatus::name).doesNotContain("doomed");
        assertThat(server.configDir().resolve("doomed.yaml")).doesNotExist();
        get(zinit.create(sleeper("doomed")));
        running("doomed");
    }

    @Test
    void deletingWhatIsNotThereIsDone() {
        get(zinit.delete("never-was"));
    }

    @Test
    void statsReadTheRunningProcess() {
        get(zinit.create(sleeper("measured")));
        int pid = running("measured").pid();

        var stats = get(zinit.stats("measured"));

        assertThat(stats.pid()).isEqualTo(pid);
        assertThat(stats.memoryBytes()).isPositive();
    }

    @Test
    void repliesThatComeOutOfOrderAreMatchedById() {
        get(zinit.create(sleeper("slow").withEnv(Map.of("K", "v"))));
        running("slow");
        fake().delay("service_get", Duration.ofMillis(500));
        server.transcript().clear();

        CompletableFuture<Map<String, String>> env = zinit.env("slow").subscribeAsCompletionStage();
        ServiceStatus status = get(zinit.status("slow"));

        assertThat(status.name()).isEqualTo("slow");
        assertThat(env).isNotDone();
        assertThat(env.join()).containsEntry("K", "v");
        List<String> lines = server.transcript().lines();
        assertThat(lines.get(0)).startsWith("> ").contains("service_get");
        assertThat(lines.get(1)).startsWith("> ").contains("service_status");
        assertThat(lines.get(2)).startsWith("< ").contains("\"target\"");
        assertThat(lines.get(3)).startsWith("< ").contains("\"env\"");
    }

    @Test
    void aSilentMethodTimesOutAloneAndTheConnectionStaysUsable() {
        get(zinit.create(sleeper("quiet")));
        fake().silence("service_stats");
        try (ZinitClient impatient = connect(server.socket(), Duration.ofMillis(300))) {
            assertThatThrownBy(() -> get(impatient.stats("quiet"))).isInstanceOf(ZinitException.Timeout.class);
            assertThat(get(impatient.status("quiet")).name()).isEqualTo("quiet");
        }
    }
}
