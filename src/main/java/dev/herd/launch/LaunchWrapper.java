package dev.herd.launch;

import dev.herd.desired.Limits;
import dev.herd.zinit.Command;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Wraps a worker's command so the kernel enforces its limits and identity: a small {@code sh} step
 * puts the worker in its cgroups (makes them, writes their limits, joins them) while it is still
 * Zinit's user, then {@code prlimit} sets the rlimits (soft = hard, so the worker cannot raise
 * them) and execs {@code setpriv}, which drops to the user and group and execs the program. Each
 * execs the next, so the worker keeps the pid Zinit tracks and stays in its process group; what it
 * forks stays in its cgroups. The result is an argv: every templated value and every cgroup path
 * stays one argument, never part of the script (Zinit 0.3 gives {@code /bin/sh -c} the POSIX-quoted
 * line). Pure.
 */
public final class LaunchWrapper {
    /** The base-system tools used, by path or name. */
    public record Tools(String prlimit, String setpriv, String sh) {
        public static final Tools DEFAULT = new Tools("prlimit", "setpriv");

        public Tools(String prlimit, String setpriv) {
            this(prlimit, setpriv, "/bin/sh");
        }
    }

    /**
     * Carries out the cgroup steps given as its arguments up to {@code --} (a folder to make ends in
     * {@code /}, {@code file=value} writes a value, any other path is a {@code cgroup.procs} to join),
     * then execs the rest. A step that fails ends the start with status 125 and says which on stderr.
     */
    static final String CGROUP_SCRIPT = "while [ \"$1\" != -- ]; do case $1 in "
            + "*/) mkdir -p \"$1\" ;; *=*) printf '%s\\n' \"${1#*=}\" > \"${1%%=*}\" ;; *) echo $$ > \"$1\" ;; esac"
            + " || { echo \"herd: cannot set up the worker's cgroup: $1\" >&2; exit 125; }; shift; done; shift; exec \"$@\"";

    private LaunchWrapper() {
    }

    /** {@code command} unchanged when there is nothing to enforce, else wrapped; without cgroup steps. */
    public static Command wrap(Command command, Optional<RunAs> runAs, Limits limits, Tools tools) {
        return wrap(command, runAs, limits, tools, List.of());
    }

    /**
     * {@code command} unchanged when there is nothing to enforce, else wrapped.
     *
     * @param cgroupSteps the steps that put the worker in its cgroups ({@code dev.herd.cgroup.GroupSetup}); none to skip
     */
    public static Command wrap(Command command, Optional<RunAs> runAs, Limits limits, Tools tools, List<String> cgroupSteps) {
        if (runAs.isEmpty() && !limits.needsRlimits() && cgroupSteps.isEmpty()) {
            return command;
        }
        List<String> argv = new ArrayList<>();
        if (!cgroupSteps.isEmpty()) {
            argv.addAll(List.of(tools.sh(), "-c", CGROUP_SCRIPT, "herd-cgroup"));
            argv.addAll(cgroupSteps);
            argv.add("--");
        }
        if (limits.needsRlimits()) {
            argv.add(tools.prlimit());
            limits.addressSpace().ifPresent(b -> argv.add("--as=" + b));
            limits.openFiles().ifPresent(n -> argv.add("--nofile=" + n));
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
