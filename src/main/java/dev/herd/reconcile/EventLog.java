package dev.herd.reconcile;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/** The most recent events, newest last, in a bounded ring. Thread-safe. */
public final class EventLog {
    private final int capacity;
    private final Deque<Event> ring = new ArrayDeque<>();
    private final List<Consumer<Event>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public EventLog(int capacity) {
        this.capacity = capacity;
    }

    public void record(Event event) {
        synchronized (ring) {
            if (ring.size() == capacity) {
                ring.removeFirst();
            }
            ring.addLast(event);
        }
        listeners.forEach(l -> l.accept(event));
    }

    public List<Event> recent() {
        synchronized (ring) {
            return new ArrayList<>(ring);
        }
    }

    /** Called for every new event (the dashboard's live feed, logs). */
    public void subscribe(Consumer<Event> listener) {
        listeners.add(listener);
    }
}
