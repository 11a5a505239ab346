package io.nnft.storage;

/** What the store knows about one object. */
public record ObjectInfo(String key, long size, String etag) {
}
