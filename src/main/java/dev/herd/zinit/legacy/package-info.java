/**
 * The line protocol of threefoldtech Zinit releases before April 2025: one command line per
 * connection, one {@code {"state": "ok"|"error", "body": ...}} reply, then the server closes.
 * It cannot create, delete, read configs or stats; those fail with {@code UnsupportedOperation}.
 * Tested against {@code FakeLegacyZinitServer}.
 */
package dev.herd.zinit.legacy;
