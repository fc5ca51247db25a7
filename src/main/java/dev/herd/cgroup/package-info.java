/**
 * Cgroups for workers: each worker's whole process tree in a group of its own, under memory, CPU and
 * process limits the kernel enforces (v1 hierarchies or the v2 unified one, whichever holds each
 * controller). Herd prepares its scope once; each worker's launch wrapper makes its group, writes
 * its limits and joins it before anything else runs, so a restart by Zinit is limited too. Here
 * also: reading a group's OOM kills, and emptying and removing a removed worker's group.
 */
package dev.herd.cgroup;
