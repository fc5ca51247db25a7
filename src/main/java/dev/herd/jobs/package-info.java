/**
 * Jobs: the Hero job protocol on Redis. Key profiles (every key from a template), submitting jobs
 * to a pool's queue, reading and awaiting their results, and keeping jobs from being lost when the
 * worker holding one dies or is removed.
 */
package dev.herd.jobs;
