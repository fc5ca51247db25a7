package dev.herd.zinit.threefold;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herd.zinit.LogLine;
import dev.herd.zinit.ServiceState;
import dev.herd.zinit.ServiceStatus;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Reading threefoldtech Zinit's replies: Rust debug states by prefix, status objects, log lines. */
class TfRepliesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Unknown|INACTIVE", "Blocked|BLOCKED", "Spawned|STARTING", "Running|RUNNING", "Success|EXITED",
            "Error(Exited(Pid(12), 1))|FAILED", "Error(Signaled(Pid(12), SIGKILL, false))|FAILED",
            "TestFailure|FAILED", "Failure|FAILED", "Sleeping|UNKNOWN", "''|UNKNOWN"})
    void statesAreMatchedByPrefix(String raw, ServiceState expected) {
        assertThat(TfReplies.state(raw)).isEqualTo(expected);
    }

    @Test
    void theExitCodeIsReadFromAnExitedError() {
        assertThat(TfReplies.exitCode("Error(Exited(Pid(12), 1))")).hasValue(1);
        assertThat(TfReplies.exitCode("Error(Exited(Pid(12), 255))")).hasValue(255);
        assertThat(TfReplies.exitCode("Error(Signaled(Pid(12), SIGKILL, false))")).isEmpty();
        assertThat(TfReplies.exitCode("Running")).isEmpty();
    }

    @Test
    void aStatusObjectKeepsTheRawStateTargetAndDependencies() throws Exception {
        var reply = new ObjectMapper().readTree("""
                {"name":"redis","pid":0,"state":"Error(Exited(Pid(1234), 2))","target":"Down",
                 "after":{"net":"Success","disk":"Running"}}""");

        ServiceStatus status = TfReplies.status("redis", reply);

        assertThat(status.state()).isEqualTo(ServiceState.FAILED);
        assertThat(status.rawState()).isEqualTo("Error(Exited(Pid(1234), 2))");
        assertThat(status.target()).isEqualTo(ServiceStatus.Target.DOWN);
        assertThat(status.dependencies()).containsEntry("net", "Success").containsEntry("disk", "Running");
        assertThat(status.exitCode()).hasValue(2);
        assertThat(status.error()).isEqualTo("Error(Exited(Pid(1234), 2))");
    }

    @Test
    void logLinesTellStdoutFromStderrAndKeepTheText() {
        assertThat(TfReplies.logLine("[+] redis: Ready to accept: connections"))
                .isEqualTo(new LogLine("redis", LogLine.Stream.STDOUT, 0, "Ready to accept: connections"));
        assertThat(TfReplies.logLine("[-] redis: oops")).isEqualTo(new LogLine("redis", LogLine.Stream.STDERR, 0, "oops"));
        assertThat(TfReplies.logLine("zinit: INFO starting")).isEqualTo(new LogLine("", LogLine.Stream.UNKNOWN, 0, "zinit: INFO starting"));
    }

    @Test
    void aTailKeepsTheLastLinesOfOneService() {
        List<String> dump = List.of("[+] a: 1", "[+] b: x", "[+] a: 2", "[-] a: 3");

        assertThat(TfReplies.tail(dump, "a", 2)).extracting(LogLine::text).containsExactly("2", "3");
    }
}
