/**
 * Strays: processes of Herd's workers that no Zinit service runs any more. Zinit 0.3.9 can lose
 * track of a service's process (a delete moves another service's slot; docs/zinit-protocol.md), and
 * a job a worker runs in a session of its own outlives a SIGKILL of its worker's group. Such a
 * process takes jobs beside the worker that replaced it, answers that worker's pings for it, and
 * runs jobs twice. {@link dev.herd.strays.StrayRule} tells strays from supervised processes, and
 * whether to kill one or, where zinit-server still waits for it, freeze it (pure);
 * {@link dev.herd.strays.StrayReaper} reads /proc and Zinit and does it.
 */
package dev.herd.strays;
