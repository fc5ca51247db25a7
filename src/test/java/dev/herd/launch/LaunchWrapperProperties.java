package dev.herd.launch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herd.desired.Limits;
import dev.herd.zinit.Command;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever a templated value holds, the wrapped command Zinit 0.3 hands to {@code /bin/sh -c}
 * splits back into exactly the wrapper's argv: no value adds a word, a redirection or a substitution.
 * Checked with the real /bin/sh.
 */
class LaunchWrapperProperties {

    @Property(tries = 60)
    void theShellSeesExactlyTheWrappedArguments(@ForAll("hostileArgs") List<String> args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("/opt/worker"));
        argv.addAll(args);
        Command wrapped = LaunchWrapper.wrap(new Command.Argv(argv), Optional.of(new RunAs(OptionalInt.of(65534), 65534, true)),
                new Limits(Optional.of(1L << 30), Optional.empty(), Optional.of(64L), Optional.empty(), Optional.empty(), Optional.of(1L << 30)), LaunchWrapper.Tools.DEFAULT,
                List.of("/sys/fs/cgroup/pids/herd/w/", "/sys/fs/cgroup/pids/herd/w/pids.max=64", "/sys/fs/cgroup/pids/herd/w/cgroup.procs"));
        // what Zinit 0.3.9 runs is `sh -c <line>`; print each word the shell makes of it instead of running it
        Process sh = new ProcessBuilder("/bin/sh", "-c", "printf '%s\\0' " + wrapped.toCommandLine()).start();
        assertThat(sh.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        List<String> words = Arrays.asList(out.split("\0", -1)).subList(0, out.split("\0", -1).length - 1);
        assertThat(words).isEqualTo(((Command.Argv) wrapped).args());
    }

    @Provide
    Arbitrary<List<String>> hostileArgs() {
        Arbitrary<String> pieces = Arbitraries.of("a", " ", "'", "\"", "$(id)", "`id`", ";", "&&", "|", ">", "<", "*", "?", "~",
                "$HOME", "${x}", "\\", "\t", "#", "--", "é", "{{workerId}}", "=", "!");
        return pieces.list().ofMinSize(1).ofMaxSize(6).map(l -> String.join("", l)).list().ofMinSize(1).ofMaxSize(4);
    }
}
