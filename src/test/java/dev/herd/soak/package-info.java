/**
 * The fault soak ({@code bin/soak}): Herd as a real process on a private Redis and zinit-server,
 * driven by a seeded random mix of edits, job bursts and faults, with its invariants checked
 * throughout; and the peer comparison ({@code bin/compare}). See docs/RELIABILITY.md.
 */
package dev.herd.soak;
