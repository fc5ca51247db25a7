package dev.herd.desired;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ${VAR}} and {@code ${VAR:-default}} in template texts, expanded when the file is read from
 * the environment Herd was given (injected, so tests need no real variables). The default applies
 * when the variable is unset or empty, as in a shell; {@code $${} writes a literal {@code ${}.
 * In command lines the value is shell-quoted so it stays one word.
 */
final class EnvReferences {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\$\\{|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private EnvReferences() {
    }

    record Expanded(String text, List<Complaint> complaints) {
    }

    static Expanded expand(String text, Map<String, String> environment, UnaryOperator<String> quote) {
        List<Complaint> complaints = new ArrayList<>();
        Matcher m = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        int malformedFrom = 0;
        while (m.find()) {
            String replacement;
            if (m.group().equals("$${")) {
                replacement = "${";
            } else {
                String value = environment.getOrDefault(m.group(1), "");
                if (value.isEmpty() && m.group(2) != null) {
                    value = m.group(2);
                } else if (!environment.containsKey(m.group(1))) {
                    complaints.add(new Complaint("environment variable " + m.group(1) + " is not set",
                            "set " + m.group(1) + " or write ${" + m.group(1) + ":-default}"));
                }
                replacement = quote.apply(value);
            }
            checkMalformed(text.substring(malformedFrom, m.start()), complaints);
            malformedFrom = m.end();
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        checkMalformed(text.substring(malformedFrom), complaints);
        m.appendTail(out);
        return new Expanded(out.toString(), List.copyOf(complaints));
    }

    private static void checkMalformed(String between, List<Complaint> complaints) {
        if (between.contains("${")) {
            complaints.add(new Complaint("malformed environment reference in \"" + between + "\"",
                    "write ${NAME} or ${NAME:-default}, or $${ for a literal ${"));
        }
    }
}
