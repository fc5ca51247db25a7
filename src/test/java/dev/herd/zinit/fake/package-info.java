/**
 * Fakes of the Zinit servers that cannot run here (threefoldtech v0.2 JSON-RPC and the legacy
 * line protocol), built from the OpenRPC spec and the facts in NOTES.md. They are fakes, not
 * emulators of every detail: each says in its class comment what it does and does not do. Both
 * front ends share one {@link dev.herd.zinit.fake.FakeSupervisor} that spawns real processes.
 */
package dev.herd.zinit.fake;
