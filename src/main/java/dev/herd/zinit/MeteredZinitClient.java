package dev.herd.zinit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A {@link ZinitClient} that times every call: {@code herd.zinit.call} (a timer by method and outcome)
 * and {@code herd.zinit.call.errors} (by method and the kind of failure). Tags name the method, never a
 * service, so the number of series stays fixed however many workers there are.
 */
public final class MeteredZinitClient implements ZinitClient {
    private final ZinitClient delegate;
    private final MeterRegistry registry;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public MeteredZinitClient(ZinitClient delegate, MeterRegistry registry) {
        this.delegate = delegate;
        this.registry = registry;
    }

    private <T> Uni<T> timed(String method, Supplier<Uni<T>> call) {
        return Uni.createFrom().deferred(() -> {
            long start = System.nanoTime();
            return call.get()
                    .onItem().invoke(() -> timer(method, "ok").record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS))
                    .onFailure().invoke(e -> {
                        timer(method, "error").record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
                        Counter.builder("herd.zinit.call.errors").description("Zinit calls that failed, by method and kind of failure")
                                .tag("method", method).tag("kind", e.getClass().getSimpleName()).register(registry).increment();
                    });
        });
    }

    private Timer timer(String method, String outcome) {
        return timers.computeIfAbsent(method + '/' + outcome, k -> Timer.builder("herd.zinit.call")
                .description("Zinit calls and their latency, by method and outcome")
                .tag("method", method).tag("outcome", outcome).publishPercentileHistogram().register(registry));
    }

    @Override
    public String dialect() {
        return delegate.dialect();
    }

    @Override
    public Uni<String> ping() {
        return timed("ping", delegate::ping);
    }

    @Override
    public Uni<List<ServiceStatus>> list() {
        return timed("list", delegate::list);
    }

    @Override
    public Uni<ServiceStatus> status(String name) {
        return timed("status", () -> delegate.status(name));
    }

    @Override
    public Uni<Map<String, String>> env(String name) {
        return timed("env", () -> delegate.env(name));
    }

    @Override
    public Uni<Void> create(ServiceSpec spec) {
        return timed("create", () -> delegate.create(spec));
    }

    @Override
    public boolean deleteMovesServices() {
        return delegate.deleteMovesServices();
    }

    @Override
    public Uni<Void> delete(String name) {
        return timed("delete", () -> delegate.delete(name));
    }

    @Override
    public Uni<Void> deleteStopped(String name) {
        return timed("delete", () -> delegate.deleteStopped(name));
    }

    @Override
    public Uni<Void> start(String name) {
        return timed("start", () -> delegate.start(name));
    }

    @Override
    public Uni<Void> stop(String name) {
        return timed("stop", () -> delegate.stop(name));
    }

    @Override
    public Uni<Void> restart(String name) {
        return timed("restart", () -> delegate.restart(name));
    }

    @Override
    public Uni<Void> kill(String name, String signal) {
        return timed("kill", () -> delegate.kill(name, signal));
    }

    @Override
    public Uni<List<LogLine>> logs(String name, int lines) {
        return timed("logs", () -> delegate.logs(name, lines));
    }

    @Override
    public Multi<LogLine> follow(String name, int backlog) {
        return delegate.follow(name, backlog); // a stream, not a call: nothing to time
    }

    @Override
    public Uni<ServiceStats> stats(String name) {
        return timed("stats", () -> delegate.stats(name));
    }

    @Override
    public void close() {
        delegate.close();
    }
}
