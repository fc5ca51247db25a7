package dev.herd.reconcile;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A task run on its own daemon thread with a fixed delay between runs: where Herd's background
 * checks may wait on I/O without ever holding an event-loop thread. A run that throws (an Error
 * too, but not a VirtualMachineError) is logged and the next one comes as usual.
 */
public final class Periodic implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Periodic.class);

    private final ScheduledExecutorService thread;

    private Periodic(ScheduledExecutorService thread) {
        this.thread = thread;
    }

    /** Starts {@code task} after one {@code every}, then every {@code every} after each run ends. */
    public static Periodic start(String name, Duration every, Runnable task) {
        ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warnf("%s: a run failed (next in %s): %s", name, every, e.getMessage());
            } catch (VirtualMachineError e) {
                throw e; // out of memory or stack: nothing to go on with
            } catch (Error e) {
                // an executor cancels a task that throws, silently: a check that stops for good is worse than one that goes on
                LOG.errorf(e, "%s: a run failed (next in %s)", name, every);
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return new Periodic(thread);
    }

    /** Interrupts {@code thread}'s task and waits up to 5 s for it to end (a stop that returns with the task still running would race it). */
    public static void stopAndWait(java.util.concurrent.ExecutorService thread) {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
