package dev.herd.desired;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Watches a desired-state folder and publishes a new {@link DesiredState} whenever what it says changes:
 * the imperative shell around {@link DesiredStateStore}.
 *
 * <p>File-system events (every sub-folder registered, plus the parent, to see the folder itself come
 * back) only ask for a scan; the scan happens once the folder has been quiet for the debounce time, and
 * a periodic rescan covers anything the events missed. A scan during which the files changed is taken
 * again, and a scan that would remove a pool is confirmed by a second one a debounce later, so an
 * editor that deletes before it writes, a ConfigMap {@code ..data} swap or a {@code git pull} of many
 * files each land as one consistent snapshot and never remove a pool by accident.
 *
 * <p>A plain class: {@link #start()} and {@link #close()}, one scan thread and one event thread, both
 * daemons. The listener runs on the scan thread and is called only when the snapshot changed.
 */
public final class DesiredStateWatcher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DesiredStateWatcher.class.getName());
    private static final int MAX_UNSTABLE_RETRIES = 20;

    /**
     * @param dir            the desired-state folder, read recursively
     * @param debounce       quiet time after an event before scanning (default 200 ms)
     * @param rescanInterval how often to scan without events (default 10 s)
     */
    public record Settings(Path dir, Duration debounce, Duration rescanInterval) {
        public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(200);
        public static final Duration DEFAULT_RESCAN_INTERVAL = Duration.ofSeconds(10);

        public Settings {
            Objects.requireNonNull(dir);
            Objects.requireNonNull(debounce);
            Objects.requireNonNull(rescanInterval);
        }

        public static Settings of(Path dir) {
            return new Settings(dir, DEFAULT_DEBOUNCE, DEFAULT_RESCAN_INTERVAL);
        }
    }

    private final Settings settings;
    private final DesiredStateScanner scanner;
    private final DesiredStateListener listener;
    private final DesiredStateStore store = new DesiredStateStore();
    private final Map<Path, WatchKey> keys = new HashMap<>();
    /** Guards the scheduling fields; never held while waiting for a scan (the scan takes it too). */
    private final Object scheduling = new Object();
    private volatile DesiredState current = DesiredState.EMPTY;
    private volatile boolean closed;
    private ScheduledExecutorService scans;
    private WatchService watchService;
    private Thread eventThread;
    private ScheduledFuture<?> pendingScan;
    private boolean confirmingRemoval;
    private int unstableRetries;

    /** @param environment the variables {@code ${VAR}} references expand from */
    public DesiredStateWatcher(Settings settings, Map<String, String> environment, DesiredStateListener listener) {
        this.settings = settings;
        this.scanner = new DesiredStateScanner(environment);
        this.listener = listener;
    }

    /** Scans once (the listener sees the first snapshot before this returns), then starts watching. */
    public void start() throws IOException {
        synchronized (scheduling) {
            if (scans != null) {
                throw new IllegalStateException("already started");
            }
            watchService = FileSystems.getDefault().newWatchService();
            scans = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "herd-desired-state-scan"));
        }
        try {
            scans.submit(this::scan).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("first desired-state scan failed", e.getCause());
        }
        long interval = settings.rescanInterval().toMillis();
        scans.scheduleWithFixedDelay(this::scan, interval, interval, TimeUnit.MILLISECONDS);
        eventThread = daemon(this::pollEvents, "herd-desired-state-events");
        eventThread.start();
    }

    /** The newest published snapshot. */
    public DesiredState current() {
        return current;
    }

    /** Asks for a scan after the debounce time (e.g. on SIGHUP or an API call). */
    public void requestScan() {
        synchronized (scheduling) {
            if (closed || scans == null) {
                return;
            }
            if (pendingScan != null) {
                pendingScan.cancel(false);
            }
            pendingScan = scans.schedule(this::scan, settings.debounce().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        synchronized (scheduling) {
            closed = true;
            if (scans != null) {
                scans.shutdownNow();
            }
        }
        try {
            if (watchService != null) {
                watchService.close();
            }
            if (eventThread != null) {
                eventThread.join(TimeUnit.SECONDS.toMillis(5));
            }
            if (scans != null) {
                scans.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the desired-state watch service failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs on the scan thread only, so the fields it touches need no lock. */
    private void scan() {
        if (closed) {
            return;
        }
        try {
            List<Path> roots = List.of(settings.dir());
            TreeStamps before = TreeStamps.of(roots);
            ScanResult result = scanner.scan(roots);
            register(FolderWalk.walk(roots).folders());
            if (!before.equals(TreeStamps.of(roots)) && unstableRetries++ < MAX_UNSTABLE_RETRIES) {
                requestScan(); // files changed while being read: wait for quiet and read again
                return;
            }
            unstableRetries = 0;
            DesiredState next = DesiredStateStore.next(store.current(), result);
            boolean removes = !next.pools().keySet().containsAll(store.current().pools().keySet());
            if (removes && !confirmingRemoval) {
                confirmingRemoval = true;
                requestScan();
                return;
            }
            confirmingRemoval = false;
            publish(store.accept(result));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "desired-state scan of " + settings.dir() + " failed; will retry", e);
        }
    }

    private void publish(DesiredState next) {
        if (next.equals(current)) {
            return;
        }
        current = next;
        try {
            listener.onChange(next);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "desired-state listener failed", e);
        }
    }

    private void register(List<Path> folders) {
        keys.values().removeIf(k -> !k.isValid());
        Path parent = settings.dir().toAbsolutePath().getParent();
        for (Path folder : parent == null ? folders : concat(folders, parent)) {
            if (!keys.containsKey(folder)) {
                try {
                    keys.put(folder, folder.register(watchService, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY));
                } catch (IOException | ClosedWatchServiceException e) {
                    // gone again or closing: the periodic rescan still covers it
                }
            }
        }
    }

    private static List<Path> concat(List<Path> folders, Path parent) {
        return java.util.stream.Stream.concat(folders.stream(), java.util.stream.Stream.of(parent)).toList();
    }

    private void pollEvents() {
        Path root = settings.dir().toAbsolutePath();
        while (!closed) {
            WatchKey key;
            try {
                key = watchService.take();
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
            boolean inParent = root.getParent() != null && root.getParent().equals(key.watchable());
            boolean relevant = false;
            for (WatchEvent<?> event : key.pollEvents()) {
                relevant |= event.kind() == OVERFLOW || relevant(event.context().toString(), inParent, root);
            }
            key.reset();
            if (relevant) {
                requestScan();
            }
        }
    }

    /** Editors' scratch files are ignored; ConfigMap's {@code ..data} swap is not. */
    private static boolean relevant(String name, boolean inParent, Path root) {
        if (inParent) {
            return name.equals(root.getFileName().toString());
        }
        return FolderWalk.relevantName(name) || name.startsWith("..");
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
