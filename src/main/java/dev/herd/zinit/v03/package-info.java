/**
 * The crates.io Zinit 0.3.x dialect: JSON-RPC methods {@code service.*}, {@code logs.*},
 * {@code system.*} with named params, service configs as JSON mirroring its TOML files.
 * Protocol notes, transcripts and quirks: docs/zinit-protocol.md.
 */
package dev.herd.zinit.v03;
