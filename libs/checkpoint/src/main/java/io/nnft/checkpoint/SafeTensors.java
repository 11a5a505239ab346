package io.nnft.checkpoint;

import io.nnft.imageio.AtomicFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nnft.imageio.DType;
import io.nnft.imageio.NdArray;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format: an 8-byte little-endian header length, a JSON header mapping each tensor
 * name to {@code dtype}, {@code shape} and {@code data_offsets} (relative to the end of the header),
 * an optional {@code __metadata__} string map, then the raw little-endian data.
 */
public final class SafeTensors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String METADATA = "__metadata__";
    private static final long MAX_HEADER = 100L << 20;
    private static final Map<DType, String> CODES = Map.ofEntries(Map.entry(DType.BOOL, "BOOL"),
            Map.entry(DType.UINT8, "U8"), Map.entry(DType.INT8, "I8"), Map.entry(DType.INT16, "I16"),
            Map.entry(DType.UINT16, "U16"), Map.entry(DType.INT32, "I32"), Map.entry(DType.UINT32, "U32"),
            Map.entry(DType.INT64, "I64"), Map.entry(DType.FLOAT16, "F16"), Map.entry(DType.FLOAT32, "F32"),
            Map.entry(DType.FLOAT64, "F64"));

    private SafeTensors() {
    }

    /** Tensors in file (data offset) order, and the {@code __metadata__} map (empty when absent). */
    public record Contents(LinkedHashMap<String, NdArray> tensors, Map<String, String> metadata) {
    }

    public static void write(Path file, Map<String, NdArray> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode m = header.putObject(METADATA);
            metadata.forEach(m::put);
        }
        long offset = 0;
        for (Map.Entry<String, NdArray> e : tensors.entrySet()) {
            if (e.getKey().equals(METADATA)) {
                throw new IllegalArgumentException("a tensor cannot be named " + METADATA);
            }
            NdArray t = e.getValue();
            ObjectNode n = header.putObject(e.getKey());
            n.put("dtype", CODES.get(t.dtype()));
            ArrayNode shape = n.putArray("shape");
            Arrays.stream(t.shape()).forEach(shape::add);
            long bytes = t.size() * t.dtype().size();
            n.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8; // the reference writer pads with spaces to 8 bytes
        byte[] headerBytes = Arrays.copyOf(json, padded);
        Arrays.fill(headerBytes, json.length, padded, (byte) ' ');
        AtomicFiles.write(file, tmp -> {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
                out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
                out.write(headerBytes);
                byte[] chunk = new byte[1 << 16];
                for (NdArray t : tensors.values()) {
                    ByteBuffer d = t.data();
                    while (d.hasRemaining()) {
                        int n = Math.min(chunk.length, d.remaining());
                        d.get(chunk, 0, n);
                        out.write(chunk, 0, n);
                    }
                }
            }
        });
    }

    public static Contents read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            if (fileSize < 8) {
                throw new IOException(file + ": safetensors file of " + fileSize + " bytes has no 8-byte header length");
            }
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, len, 0, file);
            long headerLen = len.getLong(0);
            if (headerLen < 2 || headerLen > MAX_HEADER || 8 + headerLen > fileSize) {
                throw new IOException(file + ": safetensors header length " + headerLen + " is invalid for a file of "
                        + fileSize + " bytes");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            readFully(ch, hb, 8, file);
            JsonNode header;
            try {
                header = JSON.readTree(new String(hb.array(), StandardCharsets.UTF_8).stripTrailing());
            } catch (IOException e) {
                throw new IOException(file + ": safetensors header is not valid JSON: " + e.getMessage(), e);
            }
            if (header == null || !header.isObject()) {
                throw new IOException(file + ": safetensors header must be a JSON object");
            }
            long dataStart = 8 + headerLen;
            long dataSize = fileSize - dataStart;
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
            Iterator<Map.Entry<String, JsonNode>> it = header.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals(METADATA)) {
                    if (!e.getValue().isObject()) {
                        throw new IOException(file + ": __metadata__ must be an object of strings");
                    }
                    e.getValue().fields().forEachRemaining(m -> {
                        if (!m.getValue().isTextual()) {
                            throw new IllegalArgumentException(file + ": __metadata__['" + m.getKey() + "'] must be a string");
                        }
                        metadata.put(m.getKey(), m.getValue().asText());
                    });
                } else {
                    entries.add(e);
                }
            }
            entries.sort((a, b) -> Long.compare(a.getValue().path("data_offsets").path(0).asLong(),
                    b.getValue().path("data_offsets").path(0).asLong()));
            LinkedHashMap<String, NdArray> tensors = new LinkedHashMap<>();
            long expectedStart = 0;
            for (Map.Entry<String, JsonNode> e : entries) {
                String where = file + ": tensor '" + e.getKey() + "'";
                JsonNode n = e.getValue();
                DType dtype = dtype(n.path("dtype").asText(), where);
                JsonNode shapeNode = n.path("shape");
                JsonNode offsets = n.path("data_offsets");
                if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
                    throw new IOException(where + ": needs 'shape' (array) and 'data_offsets' ([begin, end])");
                }
                long[] shape = new long[shapeNode.size()];
                for (int i = 0; i < shape.length; i++) {
                    if (!shapeNode.get(i).canConvertToLong() || shapeNode.get(i).asLong() < 0) {
                        throw new IOException(where + ": invalid shape " + shapeNode);
                    }
                    shape[i] = shapeNode.get(i).asLong();
                }
                long begin = offsets.get(0).asLong();
                long end = offsets.get(1).asLong();
                long expectedBytes = NdArray.elementCount(shape) * dtype.size();
                if (begin != expectedStart || end - begin != expectedBytes || end > dataSize) {
                    throw new IOException(where + ": data_offsets [" + begin + ", " + end + "] do not fit: expected begin "
                            + expectedStart + " and " + expectedBytes + " bytes for shape " + shapeNode + " " + dtype
                            + " within " + dataSize + " data bytes");
                }
                ByteBuffer data = ByteBuffer.allocate(Math.toIntExact(expectedBytes));
                readFully(ch, data, dataStart + begin, file);
                data.flip();
                tensors.put(e.getKey(), new NdArray(dtype, shape, data));
                expectedStart = end;
            }
            if (expectedStart != dataSize) {
                throw new IOException(file + ": " + (dataSize - expectedStart) + " data bytes after the last tensor");
            }
            return new Contents(tensors, metadata);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static DType dtype(String code, String where) throws IOException {
        for (Map.Entry<DType, String> e : CODES.entrySet()) {
            if (e.getValue().equals(code)) {
                return e.getKey();
            }
        }
        throw new IOException(where + ": dtype '" + code + "' is not supported; expected one of " + CODES.values());
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long position, Path file) throws IOException {
        long pos = position;
        while (b.hasRemaining()) {
            int n = ch.read(b, pos);
            if (n < 0) {
                throw new IOException(file + ": truncated at byte " + pos);
            }
            pos += n;
        }
    }
}
