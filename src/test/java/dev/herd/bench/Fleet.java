package dev.herd.bench;

import dev.herd.testing.PrivateZinit;
import dev.herd.zinit.ServiceState;
import dev.herd.zinit.ServiceStatus;
import dev.herd.zinit.ZinitClient;
import dev.herd.zinit.ZinitClients;
import dev.herd.zinit.transport.JsonRpcTransport;
import io.smallrye.mutiny.Multi;
import java.time.Duration;
import java.util.List;

/**
 * One private zinit-server for one measurement, and the two things every measurement needs of it:
 * seeing when N workers run, and emptying it again without orphans (zinit-server's own shutdown is
 * bounded by the watchdog's grace; stopping a thousand workers first keeps it well inside that).
 */
final class Fleet implements AutoCloseable {
    private static final Duration T = Duration.ofSeconds(30);

    final PrivateZinit server = PrivateZinit.start();
    final ZinitClient client = ZinitClients.connect(server.socket(), "v0.3", T, JsonRpcTransport.Options.defaults());
    private final String sleepArg;

    Fleet(String sleepArg) {
        this.sleepArg = sleepArg;
    }

    long running() {
        return client.list().await().atMost(T).stream().filter(s -> s.state() == ServiceState.RUNNING && s.pid() > 0).count();
    }

    /** Polls every 10 ms until {@code n} services run; the time since {@code startNanos}. */
    Duration awaitRunning(long n, long startNanos, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (running() < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(n + " workers not running within " + within + " (" + running() + " are)");
            }
            Thread.sleep(10);
        }
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** Worker processes of this run (the {@code sleep} with the run's unique argument). */
    List<ProcessHandle> sleeps() {
        return ProcessHandle.allProcesses().filter(p -> p.info().command().map(c -> c.endsWith("/sleep")).orElse(false)
                && p.info().arguments().map(a -> a.length == 1 && a[0].equals(sleepArg)).orElse(false)).toList();
    }

    /** Stops every service (in parallel), waits until none has a process, then shuts zinit-server down. */
    @Override
    public void close() {
        try {
            List<ServiceStatus> all = client.list().await().atMost(T);
            Multi.createFrom().iterable(all).onItem()
                    .transformToUni(s -> client.stop(s.name()).onFailure().recoverWithNull())
                    .merge(32).collect().asList().await().atMost(Duration.ofMinutes(2));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && client.list().await().atMost(T).stream().anyMatch(s -> s.state().hasProcess())) {
                Thread.sleep(100);
            }
        } catch (RuntimeException e) {
            System.err.println("bench: could not stop every worker before shutdown: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            client.close();
            server.close();
            List<ProcessHandle> left = sleeps();
            if (!left.isEmpty()) {
                System.err.println("bench: " + left.size() + " worker processes outlived zinit-server; ending them");
                left.forEach(ProcessHandle::destroyForcibly);
            }
        }
    }
}
