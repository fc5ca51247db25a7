package dev.herd.zinit;

/**
 * One line of a service's output.
 *
 * @param service     which service printed it
 * @param stream      STDOUT, STDERR, or UNKNOWN where the dialect does not say
 * @param timestampMs when Zinit captured it (0 where the dialect does not say)
 * @param text        the line itself
 */
public record LogLine(String service, Stream stream, long timestampMs, String text) {
    public enum Stream { STDOUT, STDERR, UNKNOWN }
}
