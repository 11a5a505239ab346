package io.nnft.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Turns the validator's messages into {@link Problem}s: the failing field, the rule, what was found. */
final class SchemaProblems {

    private static final int MAX_FOUND = 200;

    private final Map<String, JsonNode> schemaTrees;

    SchemaProblems(Map<String, JsonNode> schemaTrees) {
        this.schemaTrees = schemaTrees;
    }

    Problem toProblem(ValidationMessage m, String pointerPrefix) {
        String where = pointerPrefix + m.getInstanceLocation().toString();
        JsonNode rule = m.getSchemaNode();
        JsonNode found = m.getInstanceNode();
        String type = m.getType();
        switch (type) {
            case "required":
                return new Problem(child(where, m.getProperty()), "required property '" + m.getProperty() + "'",
                        "nothing");
            case "additionalProperties":
            case "unevaluatedProperties": {
                JsonNode extra = found == null ? null : found.get(m.getProperty());
                return new Problem(child(where, m.getProperty()),
                        "no property '" + m.getProperty() + "' (allowed: " + allowedProperties(m) + ")", render(extra));
            }
            case "enum":
                return new Problem(where, "one of " + rule, render(found));
            case "const":
                return new Problem(where, "exactly " + rule, render(found));
            case "type":
                return new Problem(where, "type " + (rule.isArray() ? join(rule, " or ") : rule.asText()),
                        render(found));
            case "pattern":
                return new Problem(where, "a string matching " + rule.asText(), render(found));
            case "minimum":
                return new Problem(where, "a number >= " + rule, render(found));
            case "maximum":
                return new Problem(where, "a number <= " + rule, render(found));
            case "exclusiveMinimum":
                return new Problem(where, "a number > " + rule, render(found));
            case "exclusiveMaximum":
                return new Problem(where, "a number < " + rule, render(found));
            case "minLength":
                return new Problem(where, "at least " + rule + " character(s)", render(found));
            case "maxLength":
                return new Problem(where, "at most " + rule + " characters", render(found));
            case "minItems":
                return new Problem(where, "at least " + rule + " item(s)", render(found));
            case "maxItems":
                return new Problem(where, "at most " + rule + " items", render(found));
            case "uniqueItems":
                return new Problem(where, "unique items", render(found));
            case "format":
                return new Problem(where, "a valid " + (rule == null ? "value" : rule.asText()), render(found));
            default:
                return new Problem(where, type + ": " + stripPath(m.getMessage()), render(found));
        }
    }

    /** The property names the failing object schema declares, read from the schema file itself. */
    private String allowedProperties(ValidationMessage m) {
        try {
            String iri = m.getSchemaLocation().getAbsoluteIri().toString();
            JsonNode tree = schemaTrees.get(iri);
            String fragment = m.getSchemaLocation().getFragment().toString();
            if (tree == null) {
                return "see the schema";
            }
            String pointer = fragment.startsWith("#") ? fragment.substring(1) : fragment;
            int cut = pointer.lastIndexOf('/');
            JsonNode objectSchema = cut <= 0 ? tree : tree.at(pointer.substring(0, cut));
            JsonNode props = objectSchema.path("properties");
            List<String> names = new ArrayList<>();
            props.fieldNames().forEachRemaining(names::add);
            return names.isEmpty() ? "none" : String.join(", ", names);
        } catch (RuntimeException e) {
            return "see the schema";
        }
    }

    static String render(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        // the validator hands numbers over as BigDecimal; like JSON Schema, 9 and 9.0 are integers
        String kind = node.isTextual() ? "string" : node.isNumber() && isIntegral(node) ? "integer"
                : node.isNumber() ? "number" : node.isBoolean() ? "boolean" : node.isNull() ? "null"
                : node.isArray() ? "array" : "object";
        String text = node.isFloatingPointNumber() ? plain(node) : node.toString();
        if (text.length() > MAX_FOUND) {
            text = text.substring(0, MAX_FOUND) + "...";
        }
        return node.isNull() ? "null" : kind + " " + text;
    }

    /** 1e12 as 1000000000000 rather than Java's 1.0E12; exponents only where the plain form would be long. */
    private static String plain(JsonNode number) {
        if (!Double.isFinite(number.doubleValue())) {
            return number.toString();
        }
        String plain = number.decimalValue().stripTrailingZeros().toPlainString();
        return plain.length() <= 24 ? plain : number.toString();
    }

    /**
     * Problems for numbers beyond a double (1e400 reads as Infinity): the validator cannot compare them (it
     * throws), so they are found first, each at its pointer.
     */
    static void nonFinite(JsonNode node, String pointer, List<Problem> out) {
        if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
            out.add(new Problem(pointer, "a finite number (JSON numbers beyond +-1.8e308 are not)",
                    "a number too large for a double"));
        } else if (node.isContainerNode()) {
            if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    nonFinite(node.get(i), pointer + "/" + i, out);
                }
            } else {
                node.fields().forEachRemaining(e -> nonFinite(e.getValue(), child(pointer, e.getKey()), out));
            }
        }
    }

    private static boolean isIntegral(JsonNode number) {
        return number.isIntegralNumber() || number.decimalValue().stripTrailingZeros().scale() <= 0;
    }

    private static String child(String pointer, String property) {
        if (property == null) {
            return pointer;
        }
        return pointer + "/" + property.replace("~", "~0").replace("/", "~1");
    }

    private static String join(JsonNode array, String separator) {
        List<String> parts = new ArrayList<>();
        for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
            parts.add(it.next().asText());
        }
        return String.join(separator, parts);
    }

    /** Validator messages start with the instance path, which {@code where} already says. */
    private static String stripPath(String message) {
        int colon = message.indexOf(": ");
        return colon >= 0 && message.startsWith("/") || colon >= 0 && message.startsWith("$")
                ? message.substring(colon + 2) : message;
    }
}
