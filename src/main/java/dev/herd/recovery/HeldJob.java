package dev.herd.recovery;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * A job id found in a worker's processing list (or own queue), with what its hash said.
 *
 * @param id        job id
 * @param facts     the job's hash, read; empty when the hash is gone
 * @param firstSeen when Herd first saw the id in that list
 */
public record HeldJob(String id, Optional<Facts> facts, Instant firstSeen) {

    /**
     * The fields of a job hash that recovery needs.
     *
     * @param status    dispatched, started, finished or error
     * @param pool      the pool whose queue it belongs to (empty for jobs not sent by Herd)
     * @param ping      whether it is a health ping (never requeued: a new one is sent)
     * @param retries   how often it may be run again after its worker died
     * @param attempts  how often it has been requeued after its worker died
     * @param startedAt when a worker marked it started (its updated_at then)
     * @param heartbeat when its worker last said it is still running it
     */
    public record Facts(String status, String pool, boolean ping, int retries, int attempts, Optional<Instant> startedAt,
                        Optional<Instant> heartbeat) {

        /** Reads a job hash; malformed numbers and times count as absent. */
        public static Facts of(Map<String, String> hash, String pingScript) {
            String status = hash.getOrDefault("status", "");
            Optional<Instant> startedAt = "started".equals(status) ? iso(hash.get("updated_at")) : Optional.empty();
            return new Facts(status, hash.getOrDefault("pool", ""), pingScript.equals(hash.get("script")),
                    number(hash.get("retries")), number(hash.get("attempts")), startedAt, epochMillis(hash.get("heartbeat")));
        }

        boolean done() {
            return "finished".equals(status) || "error".equals(status);
        }
    }

    static int number(String s) {
        try {
            return s == null ? 0 : Math.max(0, Integer.parseInt(s.strip()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static Optional<Instant> iso(String s) {
        try {
            return s == null || s.isBlank() ? Optional.empty() : Optional.of(Instant.parse(s.strip()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    static Optional<Instant> epochMillis(String s) {
        try {
            return s == null || s.isBlank() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(Long.parseLong(s.strip())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
