package dev.herd.zinit.threefold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herd.zinit.Command;
import dev.herd.zinit.LogLine;
import dev.herd.zinit.ServiceState;
import dev.herd.zinit.ServiceStatus;
import dev.herd.zinit.ZinitClient;
import dev.herd.zinit.ZinitException;
import dev.herd.zinit.fake.FakeSocketServer;
import io.smallrye.mutiny.Uni;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What both threefoldtech dialects must do, each against its fake (real processes behind it).
 * A subclass supplies the fake and the client; dialect-only behaviour is tested there.
 */
public abstract class ThreefoldClientContract {
    protected static final Duration T = Duration.ofSeconds(10);
    /** How soon the fakes restart an exited service (the real Zinit: about 2 s). */
    protected static final Duration RESPAWN = Duration.ofMillis(300);
    /** How long a stop may take before the client SIGKILLs; the fixtures' shutdown_timeout too. */
    protected static final Duration GRACE = Duration.ofSeconds(1);

    protected FakeSocketServer server;
    protected ZinitClient zinit;

    protected abstract FakeSocketServer startServer();

    protected abstract ZinitClient connect(Path socket, Duration timeout);

    @BeforeEach
    void startServerAndClient() {
        server = startServer();
        zinit = connect(server.socket(), Duration.ofSeconds(3));
    }

    @AfterEach
    void stopServerAndClient() {
        zinit.close();
        server.close();
    }

    /** A service file that runs {@code argv} exactly, rendered as Herd renders it. */
    protected static ObjectNode service(String... argv) {
        return JsonNodeFactory.instance.objectNode()
                .put("exec", new Command.Argv(List.of(argv)).toCommandLine())
                .put("shutdown_timeout", GRACE.toSeconds());
    }

    protected static ObjectNode oneshot(String... argv) {
        return service(argv).put("oneshot", true);
    }

    protected static <R> R get(Uni<R> uni) {
        return uni.await().atMost(T);
    }

    protected ServiceStatus running(String name) {
        return await().atMost(T).until(() -> get(zinit.status(name)), s -> s.state() == ServiceState.RUNNING && s.pid() > 0);
    }

    protected static boolean alive(int pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void statusOfARunningServiceShowsItsRealProcess() {
        server.install("sleeper", service("sleep", "300"));

        ServiceStatus status = running("sleeper");

        assertThat(status.rawState()).isEqualTo("Running");
        assertThat(status.target()).isEqualTo(ServiceStatus.Target.UP);
        assertThat(ProcessHandle.of(status.pid()).orElseThrow().info().commandLine().orElse("")).contains("sleep 300");
    }

    @Test
    void listReportsEveryServiceWithItsStatus() {
        server.install("a-sleeper", service("sleep", "300"));
        server.install("b-done", oneshot("true"));

        List<ServiceStatus> all = await().atMost(T).until(() -> get(zinit.list()),
                l -> l.size() == 2 && l.get(1).state() == ServiceState.EXITED);

        assertThat(all).extracting(ServiceStatus::name).containsExactly("a-sleeper", "b-done");
        assertThat(all.get(0).pid()).isPositive();
        assertThat(all.get(1).rawState()).isEqualTo("Success");
    }

    @Test
    void anArgvReachesTheProcessWordForWord() {
        server.install("quoted", oneshot("printf", "%s|%s\\n", "a b", "it's $(id); rm -rf /"));

        List<LogLine> lines = await().atMost(T).until(() -> get(zinit.logs("quoted", 10)), l -> !l.isEmpty());

        assertThat(lines).extracting(LogLine::text).containsExactly("a b|it's $(id); rm -rf /");
    }

    @Test
    void exitStatesAreReadFromRustDebugText() {
        server.install("fails", oneshot("sh", "-c", "exit 3"));

        ServiceStatus failed = await().atMost(T).until(() -> get(zinit.status("fails")), s -> s.state() == ServiceState.FAILED);

        assertThat(failed.rawState()).matches("Error\\(Exited\\(Pid\\(\\d+\\), 3\\)\\)");
        assertThat(failed.exitCode()).hasValue(3);
        assertThat(failed.pid()).isZero();
    }

    @Test
    void stopKeepsItDownAndStartBringsItBack() {
        server.install("sleeper", service("sleep", "300"));
        int first = running("sleeper").pid();

        get(zinit.stop("sleeper"));
        ServiceStatus stopped = await().atMost(T).until(() -> get(zinit.status("sleeper")), s -> s.pid() == 0);
        assertThat(stopped.target()).isEqualTo(ServiceStatus.Target.DOWN);
        assertThat(alive(first)).isFalse();

        get(zinit.start("sleeper"));
        assertThat(running("sleeper").pid()).isNotEqualTo(first);
    }

    @Test
    void restartGivesANewProcess() {
        server.install("sleeper", service("sleep", "300"));
        int first = running("sleeper").pid();

        get(zinit.restart("sleeper"));

        assertThat(alive(first)).isFalse();
        assertThat(running("sleeper").pid()).isNotEqualTo(first);
    }

    @Test
    void restartKillsAProcessThatIgnoresSigtermOnceTheGraceIsOver() {
        server.install("stubborn", service("sh", "-c", "trap '' TERM; while :; do sleep 0.1; done"));
        int first = running("stubborn").pid();

        long started = System.nanoTime();
        get(zinit.restart("stubborn"));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(GRACE);
        assertThat(alive(first)).isFalse();
        assertThat(running("stubborn").pid()).isNotEqualTo(first);
    }

    @Test
    void killSendsTheSignalAndTheStateSaysSo() {
        server.install("victim", service("sleep", "300").put("oneshot", true));
        int pid = running("victim").pid();

        get(zinit.kill("victim", "SIGUSR1"));

        ServiceStatus killed = await().atMost(T).until(() -> get(zinit.status("victim")), s -> s.state() == ServiceState.FAILED);
        assertThat(killed.rawState()).isEqualTo("Error(Signaled(Pid(" + pid + "), SIGUSR1, false))");
        assertThat(killed.exitCode()).isEmpty();
    }

    @Test
    void killWithASignalZinitDoesNotKnowIsRejected() {
        server.install("sleeper", service("sleep", "300"));
        running("sleeper");

        assertThatThrownBy(() -> get(zinit.kill("sleeper", "SIGNOPE")))
                .isInstanceOf(ZinitException.Rejected.class)
                .hasMessageContaining("SIGNOPE");
    }

    @Test
    void killingAStoppedServiceIsAWrongState() {
        server.install("sleeper", service("sleep", "300"));
        running("sleeper");
        get(zinit.stop("sleeper"));
        await().atMost(T).until(() -> get(zinit.status("sleeper")).pid() == 0);

        assertThatThrownBy(() -> get(zinit.kill("sleeper", "SIGTERM")))
                .isInstanceOfSatisfying(ZinitException.WrongState.class, e -> assertThat(e.up()).isFalse());
    }

    @Test
    void anUnknownServiceIsServiceNotFound() {
        for (Uni<?> call : List.of(zinit.status("ghost"), zinit.start("ghost"), zinit.stop("ghost"),
                zinit.kill("ghost", "SIGTERM"), zinit.restart("ghost"))) {
            assertThatThrownBy(() -> get(call))
                    .isInstanceOfSatisfying(ZinitException.ServiceNotFound.class, e -> assertThat(e.service()).isEqualTo("ghost"));
        }
    }

    @Test
    void aNameThatCouldEscapeTheConfigDirIsRefusedBeforeAnythingIsSent() {
        assertThatThrownBy(() -> get(zinit.status("../etc/passwd"))).isInstanceOf(ZinitException.InvalidName.class);
        assertThat(server.transcript().lines()).isEmpty();
    }

    @Test
    void logsTellStdoutFromStderr() {
        server.install("chatty", service("sh", "-c", "echo out; echo err >&2; sleep 300"));

        List<LogLine> lines = await().atMost(T).until(() -> get(zinit.logs("chatty", 10)), l -> l.size() == 2);

        assertThat(lines).extracting(LogLine::stream, LogLine::text).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(LogLine.Stream.STDOUT, "out"),
                org.assertj.core.groups.Tuple.tuple(LogLine.Stream.STDERR, "err"));
        assertThat(lines).extracting(LogLine::service).containsOnly("chatty");
    }

    @Test
    void followPassesOnEachNewLineOnce() {
        server.install("counter", service("sh", "-c", "i=0; while :; do i=$((i+1)); echo line$i; sleep 0.05; done"));

        List<String> followed = zinit.follow("counter").select().first(12).map(LogLine::text)
                .collect().asList().await().atMost(T);

        int first = Integer.parseInt(followed.get(0).substring("line".length()));
        assertThat(followed).containsExactlyElementsOf(java.util.stream.IntStream.range(first, first + 12).mapToObj(i -> "line" + i).toList());
    }

    @Test
    void aServerThatNeverAnswersCostsATimeoutNotAHang() {
        server.install("sleeper", service("sleep", "300"));
        server.silenceAll();
        try (ZinitClient impatient = connect(server.socket(), Duration.ofMillis(300))) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> get(impatient.status("sleeper"))).isInstanceOf(ZinitException.Timeout.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));

            server.answerNormally();
            assertThat(get(impatient.status("sleeper")).name()).isEqualTo("sleeper");
        }
    }

    @Test
    void theClientRecoversWhenTheServerGoesAwayAndComesBack() {
        server.install("sleeper", service("sleep", "300"));
        running("sleeper");

        server.stop();
        assertThatThrownBy(() -> get(zinit.status("sleeper"))).isInstanceOf(ZinitException.ZinitUnavailable.class);

        server.start();
        assertThat(await().atMost(T).ignoreExceptions().until(() -> get(zinit.status("sleeper")), s -> s.pid() > 0).name())
                .isEqualTo("sleeper");
    }
}
