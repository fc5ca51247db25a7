package dev.herd.reconcile;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How a Zinit service says it belongs to Herd: labels in its environment, written at creation and
 * read back when observing. Zinit has no metadata field in every dialect, but every dialect keeps a
 * service's env, so ownership survives Herd restarts and names the controller instance; a service
 * without these labels is never touched, whatever its name.
 */
public final class Ownership {
    public static final String OWNER = "HERD_OWNER";
    public static final String POOL = "HERD_POOL";
    public static final String ORDINAL = "HERD_ORDINAL";
    public static final String TEMPLATE_HASH = "HERD_TEMPLATE_HASH";
    /**
     * The services the worker starts after, comma-separated (service names have no comma): a pool
     * that leaves the desired state together with the pools it depends on is still removed
     * dependents first, and so is one whose file changed its {@code after}.
     */
    public static final String AFTER = "HERD_AFTER";
    /**
     * Which Zinit runs the worker (its socket). Not read when observing: it lets the stray reaper
     * touch only processes of its own Zinit, so two Herds with one controller id on one host, each
     * with a Zinit of its own (a test run beside {@code bin/up}), leave each other's workers alone.
     */
    public static final String ZINIT = "HERD_ZINIT";

    private Ownership() {
    }

    /** The labels for a worker created by controller {@code controllerId}. */
    public static Map<String, String> labels(String controllerId, String pool, int ordinal, String templateHash) {
        return labels(controllerId, pool, ordinal, templateHash, List.of());
    }

    /** The labels for a worker created by controller {@code controllerId} that starts after {@code after}. */
    public static Map<String, String> labels(String controllerId, String pool, int ordinal, String templateHash, List<String> after) {
        return Map.of(OWNER, controllerId, POOL, pool, ORDINAL, Integer.toString(ordinal), TEMPLATE_HASH, templateHash,
                AFTER, String.join(",", after));
    }

    /** The value of {@link #ZINIT} for the Zinit on {@code socket}. */
    public static String zinitLabel(java.nio.file.Path socket) {
        return socket.toAbsolutePath().normalize().toString();
    }

    /** What the labels in {@code env} say, when they name {@code controllerId} as the owner. */
    public static Optional<Label> read(String controllerId, Map<String, String> env) {
        if (!controllerId.equals(env.get(OWNER)) || env.get(POOL) == null || env.get(TEMPLATE_HASH) == null) {
            return Optional.empty();
        }
        OptionalInt ordinal = parse(env.get(ORDINAL));
        if (ordinal.isEmpty()) {
            return Optional.empty();
        }
        String after = env.getOrDefault(AFTER, "");
        return Optional.of(new Label(env.get(POOL), ordinal.getAsInt(), env.get(TEMPLATE_HASH),
                after.isEmpty() ? List.of() : List.of(after.split(","))));
    }

    /**
     * What an owned service's labels say.
     *
     * @param after the services it starts after (none for a worker created before this label existed)
     */
    public record Label(String pool, int ordinal, String templateHash, List<String> after) {
        public Label {
            after = List.copyOf(after);
        }

        public Label(String pool, int ordinal, String templateHash) {
            this(pool, ordinal, templateHash, List.of());
        }
    }

    private static OptionalInt parse(String s) {
        try {
            return s == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(s));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}
