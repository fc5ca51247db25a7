package dev.herd.launch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herd.desired.Limits;
import dev.herd.zinit.Command;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class LaunchWrapperTest {
    private static final LaunchWrapper.Tools TOOLS = new LaunchWrapper.Tools("/usr/bin/prlimit", "/usr/bin/setpriv");
    private static final Command WORKER = new Command.Argv(List.of("/opt/w", "--id", "osis-0"));

    @Test
    void nothingToEnforceLeavesTheCommandAlone() {
        assertThat(LaunchWrapper.wrap(WORKER, Optional.empty(), Limits.NONE, TOOLS)).isSameAs(WORKER);
    }

    @Test
    void limitsThenIdentityThenTheProgramEachArgumentItsOwn() {
        Limits limits = new Limits(Optional.of(100L << 20), Optional.empty(), Optional.of(64L), Optional.of(1024L),
                Optional.of(Duration.ofMillis(1500)), Optional.of(512L << 20));
        List<String> cgroup = List.of("/cg/memory/herd/osis-0/", "/cg/memory/herd/osis-0/memory.limit_in_bytes=104857600",
                "/cg/memory/herd/osis-0/cgroup.procs");
        Command wrapped = LaunchWrapper.wrap(WORKER, Optional.of(new RunAs(OptionalInt.of(65534), 65534, true)), limits, TOOLS, cgroup);
        // the cgroup steps first, as Zinit's user; then rlimits; then the user; each execs the next
        assertThat(((Command.Argv) wrapped).args()).containsExactly("/bin/sh", "-c", LaunchWrapper.CGROUP_SCRIPT, "herd-cgroup",
                "/cg/memory/herd/osis-0/", "/cg/memory/herd/osis-0/memory.limit_in_bytes=104857600", "/cg/memory/herd/osis-0/cgroup.procs",
                "--", "/usr/bin/prlimit", "--as=536870912", "--nofile=1024", "--cpu=2", "--",
                "/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--init-groups", "--", "/opt/w", "--id", "osis-0");
    }

    @Test
    void aGroupAloneKeepsTheUserAndDropsSupplementaryGroups() {
        Command wrapped = LaunchWrapper.wrap(WORKER, Optional.of(new RunAs(OptionalInt.empty(), 100, false)), Limits.NONE, TOOLS);
        assertThat(((Command.Argv) wrapped).args()).containsExactly("/usr/bin/setpriv", "--regid=100", "--clear-groups", "--",
                "/opt/w", "--id", "osis-0");
    }

    @Test
    void aShellLineStaysOneArgumentOfAShellUnderTheWrapper() {
        Command line = new Command.Shell("worker --x 'a b' $(whoami)");
        Command wrapped = LaunchWrapper.wrap(line, Optional.empty(), new Limits(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(8L), Optional.empty(), Optional.empty()), TOOLS);
        assertThat(((Command.Argv) wrapped).args()).containsExactly("/usr/bin/prlimit", "--nofile=8", "--", "/bin/sh", "-c",
                "worker --x 'a b' $(whoami)");
        // what Zinit 0.3 hands to sh -c: the user's line is one quoted word, run by the inner shell only
        assertThat(wrapped.toCommandLine()).isEqualTo("/usr/bin/prlimit --nofile=8 -- /bin/sh -c 'worker --x '\\''a b'\\'' $(whoami)'");
    }

    @Test
    void aTemplatedValueCannotAddWordsToTheWrappedCommand() {
        Command hostile = new Command.Argv(List.of("/opt/w", "--id", "x; rm -rf / #"));
        Command wrapped = LaunchWrapper.wrap(hostile, Optional.of(new RunAs(OptionalInt.of(1), 1, false)), Limits.NONE, TOOLS);
        assertThat(wrapped.toCommandLine()).endsWith("-- /opt/w --id 'x; rm -rf / #'");
    }
}
