package dev.herd.zinit.v03;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.herd.testing.PrivateZinit;
import dev.herd.zinit.Command;
import dev.herd.zinit.LogLine;
import dev.herd.zinit.ServiceSpec;
import dev.herd.zinit.ServiceState;
import dev.herd.zinit.ServiceStatus;
import dev.herd.zinit.ZinitClient;
import dev.herd.zinit.ZinitClients;
import dev.herd.zinit.ZinitException;
import dev.herd.zinit.transport.JsonRpcTransport;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every operation of the v0.3 client against the real zinit-server, error cases included. */
class ZinitV03ClientIT {
    private static final Duration T = Duration.ofSeconds(10);
    private static PrivateZinit server;
    private static ZinitClient zinit;

    @BeforeAll
    static void start() {
        server = PrivateZinit.start();
        zinit = ZinitClients.connect(server.socket(), "v0.3", Duration.ofSeconds(5), JsonRpcTransport.Options.defaults());
    }

    @AfterAll
    static void stop() {
        zinit.close();
        server.close();
    }

    private static ServiceSpec sleeper(String name) {
        return ServiceSpec.of(name, new Command.Argv(List.of("sleep", "300")));
    }

    private static ServiceStatus awaitState(String name, ServiceState state) {
        return await().atMost(T).until(() -> zinit.status(name).await().atMost(T), s -> s.state() == state);
    }

    @Test
    void createsListsReadsStopsStartsRestartsAndDeletes() {
        zinit.create(sleeper("c-life").withEnv(Map.of("HERD_OWNER", "x", "QUOTED", "a b 'c'"))).await().atMost(T);
        int pid = awaitState("c-life", ServiceState.RUNNING).pid();
        assertThat(ProcessHandle.of(pid)).isPresent();
        assertThat(zinit.list().await().atMost(T)).anyMatch(s -> s.name().equals("c-life") && s.state() == ServiceState.RUNNING);
        assertThat(zinit.env("c-life").await().atMost(T)).containsEntry("HERD_OWNER", "x").containsEntry("QUOTED", "a b 'c'");
        assertThat(zinit.stats("c-life").await().atMost(T).memoryBytes()).isPositive();

        zinit.stop("c-life").await().atMost(T);
        await().atMost(T).until(() -> !zinit.status("c-life").await().atMost(T).state().hasProcess());
        zinit.start("c-life").await().atMost(T);
        int second = awaitState("c-life", ServiceState.RUNNING).pid();
        assertThat(second).isNotEqualTo(pid);
        zinit.restart("c-life").await().atMost(T);
        await().atMost(T).until(() -> {
            ServiceStatus s = zinit.status("c-life").await().atMost(T);
            return s.state() == ServiceState.RUNNING && s.pid() != second;
        });

        zinit.delete("c-life").await().atMost(T);
        assertThat(zinit.list().await().atMost(T)).noneMatch(s -> s.name().equals("c-life"));
        zinit.delete("c-life").await().atMost(T); // deleting what is gone is not an error
    }

    @Test
    void argvValuesStayOneArgumentEach() throws Exception {
        Path out = Files.createTempFile("argv", ".txt");
        String tricky = "a b; touch /tmp/herd-injected $(id) `id` 'q' \"d\"";
        zinit.create(ServiceSpec.of("c-argv", new Command.Argv(List.of("sh", "-c", "printf '%s\\n' \"$1\" > \"$2\"; sleep 300", "_", tricky, out.toString()))))
                .await().atMost(T);
        await().atMost(T).until(() -> Files.size(out) > 0);
        assertThat(Files.readString(out)).isEqualTo(tricky + "\n");
        assertThat(Path.of("/tmp/herd-injected")).doesNotExist();
        zinit.delete("c-argv").await().atMost(T);
    }

    @Test
    void errorsAreTyped() {
        assertThatThrownBy(() -> zinit.status("c-nope").await().atMost(T)).isInstanceOf(ZinitException.ServiceNotFound.class);
        assertThatThrownBy(() -> zinit.start("c-nope").await().atMost(T)).isInstanceOf(ZinitException.ServiceNotFound.class);
        assertThatThrownBy(() -> zinit.kill("c-nope", "SIGTERM").await().atMost(T)).isInstanceOf(ZinitException.ServiceNotFound.class);

        zinit.create(sleeper("c-dup")).await().atMost(T);
        assertThatThrownBy(() -> zinit.create(sleeper("c-dup")).await().atMost(T)).isInstanceOf(ZinitException.AlreadyExists.class);
        assertThat(zinit.ping().await().atMost(T)).as("the server still answers after a refused duplicate").isEqualTo("0.3.9");
        assertThatThrownBy(() -> zinit.kill("c-dup", "SIGBOGUS").await().atMost(T))
                .isInstanceOf(ZinitException.Rejected.class).hasMessageContaining("SIGBOGUS");
        assertThatThrownBy(() -> zinit.create(ServiceSpec.of("c-missing", new Command.Argv(List.of("/nonexistent/bin")))).await().atMost(T))
                .isInstanceOf(ZinitException.Rejected.class).hasMessageContaining("Executable not found");
        assertThatThrownBy(() -> zinit.status("../etc/passwd")).isInstanceOf(ZinitException.InvalidName.class);
        zinit.delete("c-dup").await().atMost(T);
    }

    @Test
    void logsTellStdoutFromStderrAndFollowShowsNewLines() {
        zinit.create(ServiceSpec.of("c-logs", new Command.Shell("echo to-out; echo to-err >&2; sleep 1; echo later; sleep 300")))
                .await().atMost(T);
        List<LogLine> followed = new CopyOnWriteArrayList<>();
        var subscription = zinit.follow("c-logs").subscribe().with(followed::add);
        await().atMost(T).untilAsserted(() -> {
            List<LogLine> lines = zinit.logs("c-logs", 50).await().atMost(T);
            assertThat(lines).anyMatch(l -> l.text().equals("to-out") && l.stream() == LogLine.Stream.STDOUT);
            assertThat(lines).anyMatch(l -> l.text().equals("to-err") && l.stream() == LogLine.Stream.STDERR);
        });
        await().atMost(T).until(() -> followed.stream().anyMatch(l -> l.text().equals("later")));
        subscription.cancel();
        List<String> texts = new ArrayList<>();
        followed.forEach(l -> texts.add(l.text()));
        assertThat(texts).doesNotHaveDuplicates();
        zinit.delete("c-logs").await().atMost(T);
    }

    /**
     * Zinit 0.3.9 swaps the last service into a deleted one's slot but leaves the log buffers where
     * they were, so a service created next inherits the buffer its slot had, which the moved
     * service still writes to. Its tail must show only its own lines.
     */
    @Test
    void aServiceInAReusedSlotShowsOnlyItsOwnLogLines() {
        PrivateZinit own = PrivateZinit.start();
        try (ZinitClient client = ZinitClients.connect(own.socket(), "v0.3", Duration.ofSeconds(5), JsonRpcTransport.Options.defaults())) {
            client.create(sleeper("slot-first")).await().atMost(T);
            client.create(ServiceSpec.of("slot-moved", new Command.Argv(List.of("bash", "-c", "while true; do echo from-moved; sleep 0.1; done"))))
                    .await().atMost(T);
            await().atMost(T).until(() -> !client.logs("slot-moved", 5).await().atMost(T).isEmpty());
            client.delete("slot-first").await().atMost(T);
            client.create(ServiceSpec.of("slot-new", new Command.Shell("echo from-new; sleep 300"))).await().atMost(T);

            await().atMost(T).untilAsserted(() -> assertThat(client.logs("slot-new", 5).await().atMost(T))
                    .extracting(LogLine::text).containsExactly("from-new"));
            assertThat(client.logs("slot-new", 1000).await().atMost(T)).extracting(LogLine::text).containsExactly("from-new");
        } finally {
            own.close();
        }
    }

    @Test
    void recoversWhenTheServerIsStoppedAndStartedAgain() throws Exception {
        PrivateZinit own = PrivateZinit.start();
        try (ZinitClient client = ZinitClients.connect(own.socket(), "v0.3", Duration.ofSeconds(2), JsonRpcTransport.Options.defaults())) {
            assertThat(client.ping().await().atMost(T)).isEqualTo("0.3.9");
            own.stop();
            assertThatThrownBy(() -> client.ping().await().atMost(T)).isInstanceOf(ZinitException.ZinitUnavailable.class);
            own.launch();
            await().atMost(T).ignoreExceptions().until(() -> client.ping().await().atMost(T).equals("0.3.9"));
        } finally {
            own.close();
        }
    }

    @Test
    void aSocketThatNeverAnswersTimesOutInsteadOfHanging() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "herd-silent-");
        Path socket = dir.resolve("silent.sock");
        List<SocketChannel> accepted = new CopyOnWriteArrayList<>();
        try (ServerSocketChannel silent = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            silent.bind(UnixDomainSocketAddress.of(socket));
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // accept, read nothing, answer nothing
                    }
                } catch (Exception closed) {
                    // test over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            try (ZinitClient client = ZinitClients.connect(socket, "v0.3", Duration.ofMillis(300), JsonRpcTransport.Options.defaults())) {
                long started = System.nanoTime();
                assertThatThrownBy(() -> client.status("x").await().atMost(T)).isInstanceOf(ZinitException.Timeout.class);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
            }
        } finally {
            for (SocketChannel c : accepted) {
                c.close();
            }
            Files.deleteIfExists(socket);
        }
    }
}
