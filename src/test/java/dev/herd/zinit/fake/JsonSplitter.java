package dev.herd.zinit.fake;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a character stream into top-level JSON objects by balanced braces, as threefoldtech Zinit
 * does: requests may arrive concatenated, split across reads, or separated by newlines.
 */
final class JsonSplitter {
    private final StringBuilder current = new StringBuilder();
    private int depth;
    private boolean inString;
    private boolean escaped;

    /** Feeds characters; returns the objects they complete. Text outside any object is dropped. */
    List<String> feed(char[] chars, int length) {
        List<String> done = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            char c = chars[i];
            if (depth == 0 && c != '{') {
                continue;
            }
            current.append(c);
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                done.add(current.toString());
                current.setLength(0);
            }
        }
        return done;
    }
}
