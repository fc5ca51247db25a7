package dev.herd.zinit.v02;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herd.zinit.RestartPolicy;
import dev.herd.zinit.ServiceSpec;
import java.util.Locale;

/** A {@link ServiceSpec} as the JSON form of a Zinit 0.2 service YAML file ({@code service_create}'s content). */
final class V02Config {
    private V02Config() {
    }

    /**
     * Zinit 0.2 knows only "restart forever" and "oneshot", so {@link RestartPolicy#ON_FAILURE}
     * becomes restart forever: a worker that exits cleanly is started again.
     */
    static ObjectNode toJson(ServiceSpec spec) {
        ObjectNode content = JsonNodeFactory.instance.objectNode()
                // v0.2 splits exec like a shell; Command renders an argv with POSIX quoting for exactly that.
                .put("exec", spec.command().toCommandLine())
                .put("oneshot", spec.restart() == RestartPolicy.NEVER)
                .put("shutdown_timeout", seconds(spec))
                .put("log", switch (spec.logMode()) {
                    case RING -> "ring";
                    case STDOUT -> "stdout";
                    case NONE -> "null";
                });
        spec.test().ifPresent(test -> content.put("test", test));
        spec.after().forEach(content.putArray("after")::add);
        content.putObject("signal").put("stop", spec.stopSignal().toLowerCase(Locale.ROOT));
        ObjectNode env = content.putObject("env");
        spec.env().forEach(env::put);
        spec.dir().ifPresent(dir -> content.put("dir", dir));
        return content;
    }

    /** Whole seconds, rounded up, at least one: the file holds an integer. */
    private static long seconds(ServiceSpec spec) {
        long millis = spec.shutdownTimeout().toMillis();
        return Math.max(1, (millis + 999) / 1000);
    }
}
