package dev.herd.soak;

import java.util.Map;
import java.util.Optional;

/**
 * What became of one submitted job, judged from its hash and how often its script really ran (each
 * run appends a line to a file named after the job). Pure.
 *
 * <p>A job must end finished, or failed with a reason; it may run more than once only when Herd
 * requeued it after its worker died, and then its {@code attempts} field says so: runs ≤ attempts + 1.
 */
sealed interface JobVerdict {
    record Finished(int attempts) implements JobVerdict {
    }

    record Failed(int attempts, String reason) implements JobVerdict {
    }

    /** Not done by the end of the drain: lost, or stuck with a worker. */
    record Pending(String id, String status) implements JobVerdict {
    }

    record Violation(String what) implements JobVerdict {
    }

    static JobVerdict of(String id, Optional<Map<String, String>> hash, int runs) {
        if (hash.isEmpty()) {
            return new Violation("job " + id + ": its hash is gone (ran " + runs + " times)");
        }
        Map<String, String> h = hash.get();
        String status = h.getOrDefault("status", "");
        int attempts = parse(h.getOrDefault("attempts", "0"));
        if (runs > attempts + 1) {
            return new Violation("job " + id + " ran " + runs + " times but records " + attempts + " retries (status " + status + ")");
        }
        return switch (status) {
            case "finished" -> runs == 0
                    ? new Violation("job " + id + " is finished but its script never ran")
                    : new Finished(attempts);
            case "error" -> h.getOrDefault("error", "").isBlank()
                    ? new Violation("job " + id + " failed without a reason")
                    : new Failed(attempts, h.get("error"));
            default -> new Pending(id, status);
        };
    }

    private static int parse(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
