package dev.herd.launch;

import dev.herd.desired.Limits;
import dev.herd.zinit.Command;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Wraps a worker's command so the kernel enforces its limits and identity: {@code prlimit} sets the
 * resource limits (soft = hard, so the worker cannot raise them) and execs {@code setpriv}, which
 * drops to the user and group and execs the program. Both exec, so the worker keeps the pid Zinit
 * tracks and stays in its process group. The result is an argv: every templated value stays one
 * argument (Zinit 0.3 gives {@code /bin/sh -c} the POSIX-quoted line). Pure.
 */
public final class LaunchWrapper {
    /** The base-system tools used, by path or name. */
    public record Tools(String prlimit, String setpriv) {
        public static final Tools DEFAULT = new Tools("prlimit", "setpriv");
    }

    private LaunchWrapper() {
    }

    /** {@code command} unchanged when there is nothing to enforce, else wrapped. */
    public static Command wrap(Command command, Optional<RunAs> runAs, Limits limits, Tools tools) {
        if (runAs.isEmpty() && limits.isEmpty()) {
            return command;
        }
        List<String> argv = new ArrayList<>();
        if (!limits.isEmpty()) {
            argv.add(tools.prlimit());
            limits.memoryBytes().ifPresent(b -> argv.add("--as=" + b));
            limits.openFiles().ifPresent(n -> argv.add("--nofile=" + n));
            limits.processes().ifPresent(n -> argv.add("--nproc=" + n));
            // RLIMIT_CPU counts whole seconds; a part of a second would be no limit at all
            limits.cpuTime().ifPresent(d -> argv.add("--cpu=" + Math.max(1, (d.toMillis() + 999) / 1000)));
            argv.add("--");
        }
        runAs.ifPresent(id -> {
            argv.add(tools.setpriv());
            id.uid().ifPresent(uid -> argv.add("--reuid=" + uid));
            argv.add("--regid=" + id.gid());
            argv.add(id.initGroups() ? "--init-groups" : "--clear-groups");
            argv.add("--");
        });
        if (command instanceof Command.Argv a) {
            argv.addAll(a.args());
        } else {
            // a command line the user wrote: still run by a shell, now under the limits and identity
            argv.addAll(List.of("/bin/sh", "-c", command.toCommandLine()));
        }
        return new Command.Argv(argv);
    }
}
