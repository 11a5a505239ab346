package io.nnft.events;

import com.fasterxml.jackson.databind.JsonNode;

/** Follows $ref inside and between nnft's schema files (they are few and local). */
final class SchemaWalker {

    /** A schema node together with the file it lives in (needed to resolve its local refs). */
    record Located(String file, JsonNode node) {}

    private SchemaWalker() {}

    static Located resolve(Located at) {
        Located current = at;
        for (int hops = 0; current.node().has("$ref"); hops++) {
            if (hops > 10) {
                throw new AssertionError("$ref cycle at " + at.file());
            }
            String ref = current.node().get("$ref").asText();
            int hash = ref.indexOf('#');
            String file = hash == 0 ? current.file() : (hash < 0 ? ref : ref.substring(0, hash));
            String pointer = hash < 0 ? "" : ref.substring(hash + 1);
            JsonNode tree = EventSchemas.get().schemaTree(file);
            JsonNode target = pointer.isEmpty() ? tree : tree.at(pointer);
            if (target.isMissingNode()) {
                throw new AssertionError("dangling $ref " + ref + " in " + current.file());
            }
            current = new Located(file, target);
        }
        return current;
    }
}
