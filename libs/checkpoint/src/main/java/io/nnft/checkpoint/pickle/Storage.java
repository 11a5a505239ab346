package io.nnft.checkpoint.pickle;

import java.nio.ByteBuffer;

/** One storage of a torch zip: its record key, element type and bytes (shared by every tensor viewing it). */
record Storage(String key, StorageType type, long numel, ByteBuffer bytes) {
}
