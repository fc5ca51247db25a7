/**
 * Process: Herd run as its own JVM (the packaged jar) against real zinit-server and redis-server,
 * for what only a separate process shows: a SIGKILL in the middle of a pass, the shutdown policy.
 * These classes end in {@code JarIT} and run in the integration-test phase, after the jar is built.
 */
package dev.herd.process;
