package io.nnft.storage;

import java.util.Locale;

/**
 * A checked place in our bucket. Every location that arrives from outside (events, REST, CLI) goes
 * through {@link #parse}: only {@code s3://<our bucket>/<key>} or a bare relative key is accepted; other
 * buckets, other endpoints, absolute paths and {@code ..} segments are refused with the rule they broke.
 */
public record ObjectLocation(String bucket, String key) {

    public static ObjectLocation parse(String location, String bucket) {
        if (location == null || location.isBlank()) {
            throw new InvalidLocationException(String.valueOf(location), "is empty");
        }
        String key;
        String lower = location.toLowerCase(Locale.ROOT);
        if (lower.startsWith("s3://")) {
            String rest = location.substring(5);
            int slash = rest.indexOf('/');
            String b = slash < 0 ? rest : rest.substring(0, slash);
            if (!b.equals(bucket)) {
                throw new InvalidLocationException(location, "names bucket '" + b + "', expected '" + bucket + "'");
            }
            key = slash < 0 ? "" : rest.substring(slash + 1);
        } else if (lower.matches("^[a-z][a-z0-9+.-]*://.*")) {
            throw new InvalidLocationException(location,
                    "uses a foreign scheme or endpoint; expected s3://" + bucket + "/<key> or a key in the bucket");
        } else {
            key = location;
        }
        checkKey(location, key);
        return new ObjectLocation(bucket, key);
    }

    /** Validates a key we build ourselves or received; returns it unchanged. */
    static String checkKey(String location, String key) {
        if (key.isEmpty()) {
            throw new InvalidLocationException(location, "has no object key");
        }
        if (key.startsWith("/")) {
            throw new InvalidLocationException(location, "is an absolute path; expected a key relative to the bucket");
        }
        if (key.indexOf('\\') >= 0) {
            throw new InvalidLocationException(location, "contains a backslash");
        }
        for (int i = 0; i < key.length(); i++) {
            if (Character.isISOControl(key.charAt(i))) {
                throw new InvalidLocationException(location, "contains a control character at index " + i);
            }
        }
        for (String segment : key.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) {
                throw new InvalidLocationException(location, "contains a '" + segment + "' path segment");
            }
        }
        if (key.length() > 1024) {
            throw new InvalidLocationException(location, "is longer than S3's 1024-byte key limit");
        }
        return key;
    }

    /** The key as a folder prefix, ending in '/'. */
    public String prefix() {
        return key.endsWith("/") ? key : key + "/";
    }

    /** A key below this location. */
    public String resolve(String relative) {
        return checkKey(relative, prefix() + relative);
    }

    public String uri() {
        return "s3://" + bucket + "/" + key;
    }

    @Override
    public String toString() {
        return uri();
    }
}
