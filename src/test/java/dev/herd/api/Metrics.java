package dev.herd.api;

import static dev.herd.testing.Api.given;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** One scrape of /q/metrics in the Prometheus text format, read as series and values. */
record Metrics(List<String> samples) {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    static Metrics scrape() {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return new Metrics(text.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList());
    }

    Stream<String> lines() {
        return samples.stream();
    }

    /** The sum of the family's samples whose labels include {@code labels}. */
    double sum(String family, Map<String, String> labels) {
        return matching(family, labels).mapToDouble(Double::doubleValue).sum();
    }

    boolean has(String family, Map<String, String> labels) {
        return matching(family, labels).findAny().isPresent();
    }

    private Stream<Double> matching(String family, Map<String, String> labels) {
        return samples.stream().map(SAMPLE::matcher).filter(Matcher::matches).filter(m -> m.group(1).equals(family))
                .filter(m -> labelsOf(m.group(2)).entrySet().containsAll(labels.entrySet()))
                .map(m -> Double.parseDouble(m.group(3)));
    }

    private static Map<String, String> labelsOf(String text) {
        Map<String, String> labels = new HashMap<>();
        if (text != null) {
            Matcher m = LABEL.matcher(text);
            while (m.find()) {
                labels.put(m.group(1), m.group(2));
            }
        }
        return labels;
    }
}
