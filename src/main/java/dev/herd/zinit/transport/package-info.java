/**
 * Zinit transports: bytes on a Unix socket. A persistent, pipelined JSON-RPC connection with
 * replies matched by id, reconnect with capped backoff and a bound on calls in flight; and the
 * one-command-per-connection line protocol of old Zinit releases. No knowledge of method names.
 */
package dev.herd.zinit.transport;
