package io.nnft.deploy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configuration keys a {@code @ConfigMapping} interface declares, read from its Java source: the prefix,
 * then each method name in kebab case ({@code @WithName} overrides it), nested group interfaces one level
 * further down. Enough for the flat mappings nnft writes; a shape it does not understand fails loudly.
 */
final class ConfigMappingKeys {
    private static final Pattern MAPPING = Pattern.compile("@ConfigMapping\\s*\\(\\s*prefix\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern INTERFACE = Pattern.compile("\\binterface\\s+(\\w+)[^{]*\\{");
    private static final Pattern METHOD = Pattern.compile(
            "((?:@\\w+(?:\\s*\\([^)]*\\))?\\s*)*)([\\w.]+(?:\\s*<[\\w.<>,\\s?]*>)?(?:\\[\\])?)\\s+(\\w+)\\s*\\(\\s*\\)\\s*;");
    private static final Pattern WITH_NAME = Pattern.compile("@WithName\\s*\\(\\s*\"([^\"]+)\"\\s*\\)");
    private static final Pattern CONFIG_PROPERTY = Pattern.compile("@ConfigProperty\\s*\\(\\s*name\\s*=\\s*\"([^\"]+)\"");

    private ConfigMappingKeys() {
    }

    /** Keys of every {@code @ConfigMapping} and {@code @ConfigProperty(name=...)} in one Java source. */
    static Set<String> of(String source, String where) {
        String code = stripComments(source);
        Set<String> keys = new LinkedHashSet<>();
        Matcher property = CONFIG_PROPERTY.matcher(code);
        while (property.find()) {
            keys.add(property.group(1));
        }
        Matcher mapping = MAPPING.matcher(code);
        if (!mapping.find()) {
            return keys;
        }
        Map<String, String> bodies = interfaceBodies(code, where);
        Matcher first = INTERFACE.matcher(code);
        if (!first.find(mapping.end())) {
            throw new IllegalStateException(where + ": @ConfigMapping without an interface after it");
        }
        collect(first.group(1), mapping.group(1), bodies, keys, where);
        return keys;
    }

    private static void collect(String type, String prefix, Map<String, String> bodies, Set<String> keys, String where) {
        Matcher method = METHOD.matcher(bodies.get(type));
        while (method.find()) {
            Matcher named = WITH_NAME.matcher(method.group(1));
            String name = named.find() ? named.group(1) : kebab(method.group(3));
            String returned = method.group(2).replaceAll("\\s", "");
            String group = returned.replaceAll("^(Optional|List|Set)<(.*)>$", "$2");
            if (bodies.containsKey(group)) {
                if (!group.equals(returned)) {
                    throw new IllegalStateException(where + ": " + type + "." + method.group(3) + "() returns " + returned
                            + ": expected a group interface returned directly (collections of groups are not understood)");
                }
                collect(group, prefix + "." + name, bodies, keys, where);
            } else {
                keys.add(prefix + "." + name);
            }
        }
    }

    /** Interface name → its body with nested interface bodies blanked out. */
    private static Map<String, String> interfaceBodies(String code, String where) {
        Map<String, String> bodies = new HashMap<>();
        Matcher declaration = INTERFACE.matcher(code);
        while (declaration.find()) {
            int open = declaration.end() - 1;
            int close = matchingBrace(code, open, where);
            String body = code.substring(open + 1, close);
            bodies.put(declaration.group(1), blankNested(body, where));
        }
        return bodies;
    }

    private static String blankNested(String body, String where) {
        StringBuilder out = new StringBuilder(body);
        Matcher nested = INTERFACE.matcher(body);
        int from = 0;
        while (nested.find(from)) {
            int open = nested.end() - 1;
            int close = matchingBrace(body, open, where);
            for (int i = nested.start(); i <= close; i++) {
                out.setCharAt(i, ' ');
            }
            from = close + 1;
        }
        return out.toString();
    }

    private static int matchingBrace(String text, int open, String where) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalStateException(where + ": unbalanced braces after offset " + open);
    }

    private static String stripComments(String source) {
        return source.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " ");
    }

    static String kebab(String camel) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c) && part.length() > 0) {
                parts.add(part.toString());
                part.setLength(0);
            }
            part.append(Character.toLowerCase(c));
        }
        parts.add(part.toString());
        return String.join("-", parts).toLowerCase(Locale.ROOT);
    }
}
