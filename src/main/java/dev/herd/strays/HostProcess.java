package dev.herd.strays;

/**
 * One process on this host, as the stray rule needs it.
 *
 * @param pid        process id
 * @param parent     parent's pid (1, or a subreaper's, once orphaned)
 * @param startTicks start time in clock ticks since boot: with the pid, names the process across
 *                   scans, so a pid the kernel reuses is never taken for the process seen before
 * @param stopped    stopped by a signal (SIGSTOP): a stray Herd froze, or a worker someone froze
 */
public record HostProcess(long pid, long parent, long startTicks, boolean stopped) {
    public HostProcess(long pid, long parent, long startTicks) {
        this(pid, parent, startTicks, false);
    }
}
