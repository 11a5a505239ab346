package io.nnft.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** Test helper: a pickle's opcode stream (protocol-2 subset torch writes), to compare globals and structure. */
final class PickleOps {
    record Op(char code, String arg) {
        @Override
        public String toString() {
            return arg == null ? String.valueOf((int) code) : (int) code + ":" + arg;
        }
    }

    private PickleOps() {
    }

    static byte[] dataPkl(Path pth) throws IOException {
        try (ZipFile z = new ZipFile(pth.toFile())) {
            var it = z.entries();
            while (it.hasMoreElements()) {
                ZipEntry e = it.nextElement();
                if (e.getName().endsWith("/data.pkl")) {
                    try (InputStream in = z.getInputStream(e)) {
                        return in.readAllBytes();
                    }
                }
            }
        }
        throw new IOException("no data.pkl in " + pth);
    }

    static List<Op> ops(byte[] p) {
        ByteBuffer b = ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN);
        List<Op> out = new ArrayList<>();
        while (b.hasRemaining()) {
            int c = b.get() & 0xff;
            String arg = null;
            switch (c) {
                case 0x80: arg = Integer.toString(b.get() & 0xff); break;
                case 'c': arg = line(b) + " " + line(b); break;
                case 'X': { int n = b.getInt(); byte[] s = new byte[n]; b.get(s); arg = new String(s, StandardCharsets.UTF_8); break; }
                case 'q': case 'h': arg = Integer.toString(b.get() & 0xff); break;
                case 'r': case 'j': arg = Integer.toString(b.getInt()); break;
                case 'K': arg = Integer.toString(b.get() & 0xff); break;
                case 'M': arg = Integer.toString(b.getShort() & 0xffff); break;
                case 'J': arg = Integer.toString(b.getInt()); break;
                case 0x8a: { int n = b.get() & 0xff; byte[] s = new byte[n]; b.get(s); arg = java.util.Arrays.toString(s); break; }
                case 'G': arg = Double.toString(b.order(ByteOrder.BIG_ENDIAN).getDouble()); b.order(ByteOrder.LITTLE_ENDIAN); break;
                case '(': case ')': case ']': case '}': case 't': case 0x85: case 0x86: case 0x87: case 'R': case 'b':
                case 's': case 'u': case 'a': case 'e': case 'Q': case 'N': case 0x88: case 0x89: case '.':
                    break;
                default:
                    throw new IllegalStateException("opcode 0x" + Integer.toHexString(c) + " at " + (b.position() - 1));
            }
            out.add(new Op((char) c, arg));
        }
        return out;
    }

    static Set<String> globals(byte[] p) {
        Set<String> g = new LinkedHashSet<>();
        for (Op op : ops(p)) {
            if (op.code() == 'c') {
                g.add(op.arg());
            }
        }
        return g;
    }

    /** Opcodes with memo bookkeeping (PUT/GET indices) abstracted away. */
    static List<String> structure(byte[] p) {
        List<String> out = new ArrayList<>();
        for (Op op : ops(p)) {
            switch (op.code()) {
                case 'q': case 'r': break;
                case 'h': case 'j': out.add("GET"); break;
                default: out.add(op.toString());
            }
        }
        return out;
    }

    private static String line(ByteBuffer b) {
        StringBuilder s = new StringBuilder();
        for (char ch; (ch = (char) b.get()) != '\n'; ) {
            s.append(ch);
        }
        return s.toString();
    }
}
