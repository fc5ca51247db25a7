package dev.herd.cgroup;

import java.nio.file.Path;

/**
 * Where one controller's hierarchy is mounted.
 *
 * @param path    the mount point
 * @param unified a cgroup v2 (unified) hierarchy; else a v1 one
 */
public record Mount(Path path, boolean unified) {
}
