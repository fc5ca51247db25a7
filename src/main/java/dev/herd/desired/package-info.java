/**
 * Desired state: what the user asked for, read from the WorkerPool YAML files under the desired-state
 * folder. It owns the immutable model ({@link dev.herd.desired.WorkerPool} and the records below it, with
 * every default in {@link dev.herd.desired.Defaults}), the strict parser that reports every
 * {@link dev.herd.desired.ConfigError} at once, the pure {@link dev.herd.desired.DesiredStateStore} that
 * keeps each pool's last good spec and generation, and the {@link dev.herd.desired.DesiredStateWatcher}
 * that turns file-system events into consistent snapshots. Nothing here talks to Zinit or Redis.
 */
package dev.herd.desired;
