package dev.herd.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.Optional;
import java.util.stream.Collectors;

/** A JSON body's error in words a client can act on: where (the field's path), what, and the fix. */
final class JsonErrors {
    private JsonErrors() {
    }

    static String describe(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream().map(Object::toString).sorted()
                    .collect(Collectors.joining(", "));
            java.util.List<String> names = u.getKnownPropertyIds() == null ? java.util.List.of()
                    : u.getKnownPropertyIds().stream().map(Object::toString).toList();
            return "unknown field '" + path(u) + "'" + dev.herd.desired.DidYouMean.closest(u.getPropertyName(), names)
                    .map(c -> "; did you mean '" + c + "'?").orElse("") + " Known fields: " + known;
        }
        if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Trailing token")) {
            return "the body has more after its JSON value; send exactly one JSON object";
        }
        if (e instanceof MismatchedInputException m) {
            String type = m.getTargetType() == null ? "value" : friendly(m.getTargetType());
            String where = path(m);
            return (where.isEmpty() ? "the body" : "field '" + where + "'") + " must be " + type + " (" + firstLine(m) + ")";
        }
        if (e instanceof JsonMappingException m && !path(m).isEmpty()) {
            return "field '" + path(m) + "': " + firstLine(m);
        }
        return "the body is not valid JSON: " + firstLine(e) + "; send one JSON object, e.g. {\"scriptType\": \"osis\", \"script\": \"...\"}";
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String friendly(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (java.util.Map.class.isAssignableFrom(type)) {
            return "an object of string values";
        }
        if (type.isRecord()) {
            return "a JSON object";
        }
        return "a " + type.getSimpleName();
    }

    private static String firstLine(JsonProcessingException e) {
        String m = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        int cut = m.indexOf('\n');
        String line = cut < 0 ? m : m.substring(0, cut);
        int hint = line.indexOf(" (but might if");
        return (hint < 0 ? line : line.substring(0, hint)).replaceAll(" \\(class [^)]*\\)", "").replaceAll("`[a-z.]+\\.", "`");
    }
}
