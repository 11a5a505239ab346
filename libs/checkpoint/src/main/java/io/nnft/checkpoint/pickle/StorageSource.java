package io.nnft.checkpoint.pickle;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Where the unpickler finds the raw bytes of storage {@code key} (the zip's {@code data/<key>} record). */
@FunctionalInterface
public interface StorageSource {
    /** Little-endian bytes of the storage, or an IOException naming the missing record. */
    ByteBuffer bytes(String key) throws IOException;
}
