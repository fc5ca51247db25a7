package dev.herd.desired;

import java.util.regex.Pattern;

/** POSIX single-quoting, so a value put into a command line stays exactly one word. */
final class ShellQuoting {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private ShellQuoting() {
    }

    static String quote(String value) {
        if (SAFE.matcher(value).matches()) {
            return value;
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
