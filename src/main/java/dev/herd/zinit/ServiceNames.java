package dev.herd.zinit;

import java.util.regex.Pattern;

/**
 * Service names become file names on the Zinit host ({@code <name>.toml} / {@code <name>.yaml}), so
 * a name is checked before anything is sent: no path separators, no {@code ..}, no white space or
 * control characters, at most {@value #MAX_LENGTH} characters.
 */
public final class ServiceNames {
    public static final int MAX_LENGTH = 64;
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]*");

    private ServiceNames() {
    }

    /** Throws {@link ZinitException.InvalidName} when the name cannot be used safely. */
    public static String check(String name) {
        String problem = problem(name);
        if (!problem.isEmpty()) {
            throw new ZinitException.InvalidName(name, problem);
        }
        return name;
    }

    /** Why the name is unusable, or an empty string when it is fine. */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "a service name cannot be empty";
        }
        if (name.length() > MAX_LENGTH) {
            return "a service name has at most " + MAX_LENGTH + " characters, this one has " + name.length();
        }
        if (name.contains("..")) {
            return "a service name cannot contain '..'";
        }
        if (!ALLOWED.matcher(name).matches()) {
            return "a service name starts with a letter or digit and has only letters, digits and . _ @ -"
                    + " (no '/', white space or control characters)";
        }
        return "";
    }
}
