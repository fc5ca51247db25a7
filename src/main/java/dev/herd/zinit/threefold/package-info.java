/**
 * What the two APIs of the GitHub threefoldtech Zinit have in common: the v0.2 JSON-RPC API and
 * the legacy line protocol are two front ends of one server, so they report the same status
 * objects, Rust debug-format states, {@code [+] name: line} log lines and error texts, and need the
 * same client-side stop-and-wait (the server has no restart). Both dialect clients use this package.
 */
package dev.herd.zinit.threefold;
