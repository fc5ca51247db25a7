/**
 * The Hero worker (workers/hero-worker) as a process: its protocol under faults against a private
 * Redis, and its runners end to end behind Herd and the real zinit-server.
 */
package dev.herd.workers;
