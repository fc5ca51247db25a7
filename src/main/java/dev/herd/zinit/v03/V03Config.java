package dev.herd.zinit.v03;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herd.zinit.ServiceSpec;

/** A {@link ServiceSpec} as the JSON form of a Zinit 0.3 service TOML file ({@code service.set}'s config). */
final class V03Config {
    private V03Config() {
    }

    static ObjectNode toJson(ServiceSpec spec) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode service = f.objectNode()
                .put("name", spec.name())
                .put("exec", spec.command().toCommandLine());
        spec.dir().ifPresent(d -> service.put("dir", d));
        ObjectNode env = service.putObject("env");
        spec.env().forEach(env::put);

        ObjectNode config = f.objectNode();
        config.set("service", service);
        ObjectNode deps = config.putObject("dependencies");
        spec.after().forEach(deps.putArray("after")::add);
        config.putObject("lifecycle")
                .put("restart", switch (spec.restart()) {
                    case ALWAYS -> "always";
                    case ON_FAILURE -> "on-failure";
                    case NEVER -> "never";
                })
                .put("stop_signal", spec.stopSignal())
                .put("stop_timeout_ms", spec.shutdownTimeout().toMillis())
                // Herd watches for crash loops itself; Zinit giving up after 10 restarts would hide them.
                .put("max_restarts", 0);
        spec.test().ifPresent(test -> config.putObject("health")
                .put("type", "exec")
                .put("target", test));
        if (spec.logMode() == ServiceSpec.LogMode.NONE) {
            config.putObject("logging").put("buffer_lines", 0);
        }
        return config;
    }
}
