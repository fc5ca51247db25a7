package dev.herd.zinit.fake;

import java.util.ArrayList;
import java.util.List;

/** What a fake received ({@code > line}) and sent ({@code < line}), in order, for fixtures and failure messages. */
public final class Transcript {
    private final List<String> lines = new ArrayList<>();

    synchronized void received(String line) {
        lines.add("> " + line);
    }

    synchronized void sent(String line) {
        lines.add("< " + line);
    }

    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    public synchronized void clear() {
        lines.clear();
    }
}
