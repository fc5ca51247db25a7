/**
 * Dialect detection: which Zinit answers on a socket, found by how it answers a JSON-RPC
 * {@code system.ping} (v0.3 answers, v0.2 says the method is unknown, the legacy line protocol
 * answers in its own envelope or hangs up), and a client that detects on its first call.
 */
package dev.herd.zinit.detect;
