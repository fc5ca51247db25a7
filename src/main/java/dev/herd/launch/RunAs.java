package dev.herd.launch;

import java.util.OptionalInt;

/**
 * The identity a worker runs under, as {@code setpriv} takes it.
 *
 * @param uid        numeric user id; empty keeps Zinit's user (only a group was asked for)
 * @param gid        numeric group id
 * @param initGroups whether to take the user's supplementary groups from the group database (needs a
 *                   passwd entry); otherwise every supplementary group is dropped
 */
public record RunAs(OptionalInt uid, int gid, boolean initGroups) {
}
