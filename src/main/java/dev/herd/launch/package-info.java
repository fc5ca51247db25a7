/**
 * How a worker's process is launched safely: as the template's user and group, under kernel limits
 * (a {@code prlimit}/{@code setpriv} wrapper, as no Zinit dialect offers either), and only when its
 * program exists, is executable and matches its pinned digest. The checks give facts (a refusal or
 * none) that the planner acts on; nothing here talks to Zinit.
 */
package dev.herd.launch;
