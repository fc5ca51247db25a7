package dev.herd.desired;

import dev.herd.config.HerdConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.logging.Logger;

/**
 * The application's desired state: the watched folder {@code herd.desired-state.dir}, started
 * before the reconcile loop. Every accepted change is logged with its errors, each in
 * {@code file:line:column: field: message (hint)} form.
 */
@ApplicationScoped
public class WatchedDesiredState {
    private static final Logger LOG = Logger.getLogger(WatchedDesiredState.class);

    private final HerdConfig config;
    private final List<DesiredStateListener> listeners = new CopyOnWriteArrayList<>();
    private volatile Optional<DesiredState> current = Optional.empty();
    private DesiredStateWatcher watcher;

    @Inject
    public WatchedDesiredState(HerdConfig config) {
        this.config = config;
    }

    void onStart(@Observes @Priority(10) StartupEvent event) {
        start();
    }

    synchronized void start() {
        if (watcher != null) {
            return;
        }
        HerdConfig.DesiredState d = config.desiredState();
        watcher = new DesiredStateWatcher(new DesiredStateWatcher.Settings(d.dir(), d.debounce(), d.rescanInterval()),
                System.getenv(), this::accept);
        try {
            watcher.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot watch the desired state in " + d.dir() + ": " + e.getMessage(), e);
        }
        accept(watcher.current());
    }

    private void accept(DesiredState state) {
        if (current.isPresent() && current.get().equals(state)) {
            return;
        }
        current = Optional.of(state);
        LOG.infof("desired state: %d pool(s) in force %s, %d error(s)", state.activePools().size(), state.activePools().keySet(),
                state.errors().size());
        state.errors().forEach(e -> LOG.warn(e.toString()));
        listeners.forEach(l -> l.onChange(state));
    }

    /** The desired state as last read, or empty before the first read. */
    public Optional<DesiredState> current() {
        return current;
    }

    public void onChange(DesiredStateListener listener) {
        listeners.add(listener);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (watcher != null) {
            watcher.close();
        }
    }
}
