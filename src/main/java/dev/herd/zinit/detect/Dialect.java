package dev.herd.zinit.detect;

import java.util.Locale;
import java.util.Optional;

/** The Zinit dialects Herd speaks, by their configuration names. */
public enum Dialect {
    V03("v0.3"), V02("v0.2"), LEGACY("legacy");

    private final String configName;

    Dialect(String configName) {
        this.configName = configName;
    }

    /** The value of {@code herd.zinit.dialect} that selects it. */
    public String configName() {
        return configName;
    }

    /** Accepts the config name and its common spellings (v03, 0.3, ...). */
    public static Optional<Dialect> parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "v0.3", "v03", "0.3" -> Optional.of(V03);
            case "v0.2", "v02", "0.2" -> Optional.of(V02);
            case "legacy" -> Optional.of(LEGACY);
            default -> Optional.empty();
        };
    }
}
