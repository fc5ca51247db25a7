package dev.herd.cgroup;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Which hierarchy holds each controller, read from {@code /proc/self/mountinfo}: a v1 mount whose
 * options name the controller, else a v2 mount whose {@code cgroup.controllers} lists it (on a
 * hybrid host the v2 mount holds none). Pure.
 */
public final class Mounts {
    private Mounts() {
    }

    /**
     * @param mountinfo      the text of {@code /proc/self/mountinfo}
     * @param v2Controllers  the controllers a v2 mount offers (its {@code cgroup.controllers})
     */
    public static Map<Controller, Mount> parse(String mountinfo, Function<Path, Set<String>> v2Controllers) {
        Map<Controller, Mount> v1 = new EnumMap<>(Controller.class);
        Map<Controller, Mount> v2 = new EnumMap<>(Controller.class);
        for (String line : mountinfo.split("\n")) {
            List<String> fields = List.of(line.trim().split(" "));
            int dash = fields.indexOf("-");
            if (dash < 5 || fields.size() < dash + 4) {
                continue;
            }
            String type = fields.get(dash + 1);
            Path point = Path.of(unescape(fields.get(4)));
            if (type.equals("cgroup")) {
                Set<String> options = Set.of(fields.get(dash + 3).split(","));
                for (Controller c : Controller.values()) {
                    if (options.contains(c.kernelName())) {
                        v1.putIfAbsent(c, new Mount(point, false));
                    }
                }
            } else if (type.equals("cgroup2")) {
                Set<String> offered = v2Controllers.apply(point);
                for (Controller c : Controller.values()) {
                    if (offered.contains(c.kernelName())) {
                        v2.putIfAbsent(c, new Mount(point, true));
                    }
                }
            }
        }
        Map<Controller, Mount> out = new EnumMap<>(v2);
        out.putAll(v1); // a controller is bound to one hierarchy; v1 wins where both claim it
        return out;
    }

    /** mountinfo escapes space, tab, newline and backslash as octal ({@code \040}). */
    static String unescape(String field) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).chars().allMatch(d -> d >= '0' && d <= '7')) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The controllers a v2 hierarchy offers, from its {@code cgroup.controllers}; none when it cannot be read. */
    static Set<String> offeredBy(Path mount) {
        try {
            return Set.of(java.nio.file.Files.readString(mount.resolve("cgroup.controllers")).trim().split("\\s+"));
        } catch (java.io.IOException | SecurityException e) {
            return Set.of();
        }
    }

    static Optional<String> read(Path file) {
        try {
            return Optional.of(java.nio.file.Files.readString(file));
        } catch (java.io.IOException | SecurityException e) {
            return Optional.empty();
        }
    }
}
