/**
 * Health: Herd's own liveness and readiness probes, and the ping-based health monitoring of
 * workers (idle workers get a ping job; those that fail it repeatedly are restarted).
 */
package dev.herd.health;
