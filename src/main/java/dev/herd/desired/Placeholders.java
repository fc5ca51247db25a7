package dev.herd.desired;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code {{name}}} placeholders of a worker template, filled per worker when its service is made.
 * Only the names below exist; anything else is a validation error when the file is read.
 */
public final class Placeholders {
    public static final String WORKER_ID = "workerId";
    public static final String ORDINAL = "ordinal";
    public static final String POOL = "pool";
    public static final String REDIS_URL = "redisUrl";
    /** The Herd installation folder, so example pools can name the bundled reference worker. */
    public static final String HERD_HOME = "herdHome";
    public static final List<String> NAMES = List.of(HERD_HOME, ORDINAL, POOL, REDIS_URL, WORKER_ID);

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^{}]*?)\\s*}}");

    private Placeholders() {
    }

    /** The values for worker {@code ordinal} of {@code pool}; its id is {@code pool-ordinal}, e.g. osis-0. */
    public static Map<String, String> forWorker(String pool, int ordinal, String redisUrl, String herdHome) {
        return Map.of(WORKER_ID, workerId(pool, ordinal), ORDINAL, Integer.toString(ordinal), POOL, pool,
                REDIS_URL, redisUrl, HERD_HOME, herdHome);
    }

    public static String workerId(String pool, int ordinal) {
        return pool + "-" + ordinal;
    }

    /** What is wrong with the placeholders in {@code text}: unknown names and unclosed braces. */
    static List<Complaint> check(String text) {
        List<Complaint> complaints = new ArrayList<>();
        for (String name : namesIn(text)) {
            if (!NAMES.contains(name)) {
                String hint = DidYouMean.closest(name, NAMES)
                        .map(n -> "did you mean {{" + n + "}}?")
                        .orElse("known placeholders: " + String.join(", ", NAMES.stream().map(n -> "{{" + n + "}}").toList()));
                complaints.add(new Complaint("unknown placeholder {{" + name + "}}", hint));
            }
        }
        if (hasUnclosed(text)) {
            complaints.add(new Complaint("unclosed placeholder in \"" + text + "\"", "write placeholders as {{name}}"));
        }
        return complaints;
    }

    /** {@code text} with every placeholder written without inner spaces, so {{ pool }} and {{pool}} compare equal. */
    static String canonical(String text) {
        return PLACEHOLDER.matcher(text).replaceAll("{{$1}}");
    }

    /** Every placeholder name written in {@code text}, known or not, in order. */
    static List<String> namesIn(String text) {
        List<String> names = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** True when {@code text} opens a placeholder it never closes, e.g. {@code {{workerId}}. */
    static boolean hasUnclosed(String text) {
        return PLACEHOLDER.matcher(text).replaceAll("").contains("{{");
    }

    /**
     * Replaces every placeholder by its value passed through {@code quote}; the value is inserted as
     * it is and never scanned again, so it cannot bring in further placeholders.
     *
     * @throws IllegalArgumentException when a placeholder has no value in {@code vars}
     */
    static String substitute(String text, Map<String, String> vars, UnaryOperator<String> quote) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = vars.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("no value for placeholder {{" + m.group(1) + "}}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(quote.apply(value)));
        }
        m.appendTail(out);
        return out.toString();
    }
}
