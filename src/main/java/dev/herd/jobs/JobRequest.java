package dev.herd.jobs;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A job to submit, built like the original design's {@code new_job()...build()}:
 * <pre>JobRequest.builder().scriptType("osis").script("echo hi").timeout(Duration.ofSeconds(30)).build()</pre>
 *
 * @param pool       the pool to send it to; empty to route by script type
 * @param scriptType the script type; empty when a pool is named
 * @param script     what the worker runs
 * @param timeout    how long the script may run
 * @param retries    how often it is retried after its worker died holding it
 * @param env        environment for the script
 * @param callerId   who submitted it
 * @param contextId  the caller's context
 * @param retention  how long its record stays in Redis once it ended; empty: Herd's default
 */
public record JobRequest(Optional<String> pool, Optional<String> scriptType, String script, Duration timeout, int retries,
                         Map<String, String> env, String callerId, String contextId, Optional<Duration> retention) {
    public JobRequest {
        env = Map.copyOf(env);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Fluent builder; only the script is required, and a pool or a script type. */
    public static final class Builder {
        private Optional<String> pool = Optional.empty();
        private Optional<String> scriptType = Optional.empty();
        private String script = "";
        private Duration timeout = Duration.ofSeconds(60);
        private int retries = 1;
        private Map<String, String> env = Map.of();
        private String callerId = "herd";
        private String contextId = "default";
        private Optional<Duration> retention = Optional.empty();

        public Builder pool(String p) {
            pool = Optional.of(p);
            return this;
        }

        public Builder scriptType(String t) {
            scriptType = Optional.of(t);
            return this;
        }

        public Builder script(String s) {
            script = s;
            return this;
        }

        public Builder timeout(Duration t) {
            timeout = t;
            return this;
        }

        public Builder retries(int r) {
            retries = r;
            return this;
        }

        public Builder env(Map<String, String> e) {
            env = e;
            return this;
        }

        public Builder callerId(String c) {
            callerId = c;
            return this;
        }

        public Builder contextId(String c) {
            contextId = c;
            return this;
        }

        public Builder retention(Duration r) {
            retention = Optional.of(r);
            return this;
        }

        public JobRequest build() {
            if (script.isBlank()) {
                throw new IllegalArgumentException("a job needs a script");
            }
            if (pool.isEmpty() && scriptType.isEmpty()) {
                throw new IllegalArgumentException("a job needs a pool or a script type");
            }
            if (retries < 0 || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("retries must be >= 0 and the timeout positive");
            }
            if (retention.isPresent() && (retention.get().isNegative() || retention.get().isZero())) {
                throw new IllegalArgumentException("the retention must be positive");
            }
            return new JobRequest(pool, scriptType, script, timeout, retries, env, callerId, contextId, retention);
        }
    }
}
