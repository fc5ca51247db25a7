package dev.herd.reconcile;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * One log line per decision: every event (Created, Removed, Scaled, PingFailed, Restarted, JobRequeued,
 * ...) is logged once, from here, under the category {@code herd.decision}, with {@code pool},
 * {@code worker} and {@code reason} as MDC fields. With JSON logs ({@code HERD_LOG_JSON=true}) they
 * are fields of the line's {@code mdc} object; plain lines carry them in the text. Warnings log at WARN.
 */
@ApplicationScoped
public class DecisionLog {
    static final Logger LOG = Logger.getLogger("herd.decision");

    private final ReconcileLoop loop;

    public DecisionLog(ReconcileLoop loop) {
        this.loop = loop;
    }

    void onStart(@Observes StartupEvent event) {
        loop.events().subscribe(DecisionLog::log);
    }

    static void log(Event e) {
        MDC.put("pool", e.pool());
        MDC.put("worker", e.worker());
        MDC.put("reason", e.reason());
        try {
            LOG.logf("Warning".equals(e.type()) ? Logger.Level.WARN : Logger.Level.INFO, "%s%s%s: %s",
                    e.pool().isEmpty() ? "" : "pool=" + e.pool() + " ", e.worker().isEmpty() ? "" : "worker=" + e.worker() + " ",
                    e.reason(), e.message());
        } finally {
            MDC.remove("pool");
            MDC.remove("worker");
            MDC.remove("reason");
        }
    }
}
