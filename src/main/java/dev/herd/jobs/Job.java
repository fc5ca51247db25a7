package dev.herd.jobs;

import java.util.Map;

/**
 * A job as its hash says, in the Hero protocol's fields.
 *
 * @param id         UUID
 * @param pool       the pool whose queue it was sent to
 * @param scriptType the script type (which decides the pool)
 * @param status     dispatched, started, finished or error
 * @param workerId   the worker that took it, empty before
 * @param output     what the script printed, when finished
 * @param error      why it failed, when error
 * @param attempts   how many times it was requeued after the worker running it died
 * @param fields     every field of the hash, as stored
 */
public record Job(String id, String pool, String scriptType, String status, String workerId, String output, String error,
                  int attempts, Map<String, String> fields) {
    public static final String DISPATCHED = "dispatched";
    public static final String STARTED = "started";
    public static final String FINISHED = "finished";
    public static final String ERROR = "error";

    public boolean done() {
        return FINISHED.equals(status) || ERROR.equals(status);
    }

    static Job of(String id, Map<String, String> h) {
        int attempts;
        try {
            attempts = Integer.parseInt(h.getOrDefault("attempts", "0"));
        } catch (NumberFormatException e) {
            attempts = 0;
        }
        return new Job(id, h.getOrDefault("pool", ""), h.getOrDefault("script_type", ""), h.getOrDefault("status", ""),
                h.getOrDefault("worker_id", ""), h.getOrDefault("output", ""), h.getOrDefault("error", ""), attempts, Map.copyOf(h));
    }
}
