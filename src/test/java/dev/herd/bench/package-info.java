/**
 * Bench: the reconcile benchmark behind {@code bin/bench reconcile} and docs/BENCHMARKS.md. Not
 * tests (no class here ends in Test, IT or Properties): figures are reported as ratios against a
 * baseline measured in the same run, never asserted.
 */
package dev.herd.bench;
