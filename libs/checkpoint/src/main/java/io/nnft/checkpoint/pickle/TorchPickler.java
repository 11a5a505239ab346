package io.nnft.checkpoint.pickle;

import io.nnft.imageio.NdArray;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Pickles a checkpoint object tree the way {@code torch.save} does (protocol 2): tensors as
 * {@code torch._utils._rebuild_tensor_v2} over persistent storages, OrderedDict by REDUCE (+ BUILD of
 * {@code _metadata}), numpy scalars as {@code numpy.core.multiarray.scalar(dtype, bytes)}, torch.device
 * by REDUCE. Uses only opcodes that torch's {@code weights_only} unpickler accepts.
 *
 * <p>Java → Python: null → None, Boolean → bool, Integer/Long/BigInteger → int, Double/Float → float,
 * String → str, byte[] → bytes, List/Collection → list, Object[] → tuple, PyOrderedDict → OrderedDict,
 * other Map → dict, NdArray → tensor, NumpyScalar, TorchDevice. The same NdArray instance reached twice
 * becomes two tensors over one storage (as torch writes a state_dict's aliased entries).
 */
public final class TorchPickler {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final IdentityHashMap<Object, Integer> memo = new IdentityHashMap<>();
    private final Map<Object, Integer> valueMemo = new HashMap<>();
    private final IdentityHashMap<NdArray, String> storageKeys = new IdentityHashMap<>();
    private final LinkedHashMap<String, NdArray> storages = new LinkedHashMap<>();
    private int nextMemo;

    /** The pickle bytes and the storages it references, keyed by record name ("0", "1", …). */
    public record Pickled(byte[] pickle, LinkedHashMap<String, NdArray> storages) {
    }

    public static Pickled pickle(Object root) {
        TorchPickler p = new TorchPickler();
        p.out.write(0x80);
        p.out.write(2);
        p.save(root);
        p.out.write('.');
        return new Pickled(p.out.toByteArray(), p.storages);
    }

    private void save(Object o) {
        if (o == null) {
            out.write('N');
        } else if (o instanceof Boolean b) {
            out.write(b ? 0x88 : 0x89);
        } else if (o instanceof Integer || o instanceof Long || o instanceof Short || o instanceof Byte) {
            saveInt(((Number) o).longValue());
        } else if (o instanceof BigInteger big) {
            saveBig(big);
        } else if (o instanceof Double || o instanceof Float) {
            out.write('G');
            writeBytes(ByteBuffer.allocate(8).putDouble(((Number) o).doubleValue()).array());
        } else if (o instanceof String s) {
            saveString(s);
        } else if (o instanceof NdArray t) {
            saveTensor(t);
        } else if (o instanceof GlobalRef g) {
            saveGlobal(g.module(), g.name());
        } else if (reuse(o)) {
            return;
        } else if (o instanceof byte[] b) {
            // protocol 2 has no bytes opcode: CPython writes _codecs.encode(latin-1 text, 'latin1')
            saveGlobal("_codecs", "encode");
            saveTuple(new Object[] {new String(b, StandardCharsets.ISO_8859_1), "latin1"});
            out.write('R');
            memoize(o);
        } else if (o instanceof Object[] tuple) {
            saveTuple(tuple);
        } else if (o instanceof PyOrderedDict d) {
            saveGlobal("collections", "OrderedDict");
            out.write(')');
            out.write('R');
            memoize(o);
            saveItems(d);
            if (d.metadata() != null) {
                Map<Object, Object> state = new LinkedHashMap<>();
                state.put("_metadata", d.metadata());
                save(state);
                out.write('b');
            }
        } else if (o instanceof Map<?, ?> m) {
            out.write('}');
            memoize(o);
            saveItems(m);
        } else if (o instanceof Collection<?> c) {
            out.write(']');
            memoize(o);
            saveList(c);
        } else if (o instanceof NumpyScalar s) {
            saveGlobal("numpy.core.multiarray", "scalar");
            saveTuple(new Object[] {new DTypeRef(NumpyDTypeValue.code(s.dtype())), s.bytes()});
            out.write('R');
            memoize(o);
        } else if (o instanceof DTypeRef d) {
            saveNumpyDType(d.code());
        } else if (o instanceof TorchDevice d) {
            saveGlobal("torch", "device");
            save(d.index() == null ? new Object[] {d.type()} : new Object[] {d.type(), d.index()});
            out.write('R');
            memoize(o);
        } else {
            throw new IllegalArgumentException("cannot pickle " + o.getClass().getName()
                    + "; expected None, bool, int, float, str, bytes, list, tuple, dict, tensor, numpy scalar or torch.device");
        }
    }

    private void saveTuple(Object[] t) {
        if (t.length == 0) {
            out.write(')');
            return;
        }
        if (t.length > 3) {
            out.write('(');
        }
        for (Object x : t) {
            save(x);
        }
        out.write(t.length == 1 ? 0x85 : t.length == 2 ? 0x86 : t.length == 3 ? 0x87 : 't');
        memoize(t);
    }

    /** Dict items in batches of 1000, SETITEM for a single item: as CPython's pickler. */
    private void saveItems(Map<?, ?> m) {
        var it = m.entrySet().iterator();
        int left = m.size();
        while (left > 0) {
            int batch = Math.min(1000, left);
            if (batch > 1) {
                out.write('(');
            }
            for (int i = 0; i < batch; i++) {
                var e = it.next();
                save(e.getKey());
                save(e.getValue());
            }
            out.write(batch > 1 ? 'u' : 's');
            left -= batch;
        }
    }

    private void saveList(Collection<?> c) {
        var it = c.iterator();
        int left = c.size();
        while (left > 0) {
            int batch = Math.min(1000, left);
            if (batch > 1) {
                out.write('(');
            }
            for (int i = 0; i < batch; i++) {
                save(it.next());
            }
            out.write(batch > 1 ? 'e' : 'a');
            left -= batch;
        }
    }

    /** torch's Tensor.__reduce_ex__: _rebuild_tensor_v2(storage, 0, size, stride, False, OrderedDict()). */
    private void saveTensor(NdArray t) {
        String key = storageKeys.get(t);
        if (key == null) {
            key = Integer.toString(storageKeys.size());
            storageKeys.put(t, key);
            storages.put(key, t);
        }
        saveGlobal("torch._utils", "_rebuild_tensor_v2");
        out.write('(');
        StorageType type = StorageType.forDType(t.dtype());
        save(new Object[] {"storage", new GlobalRef("torch", type.className()), key, "cpu", t.size()});
        out.write('Q');
        saveInt(0);
        long[] shape = t.shape();
        save(boxed(shape));
        save(boxed(TensorView.contiguousStride(shape)));
        out.write(0x89);
        saveGlobal("collections", "OrderedDict");
        out.write(')');
        out.write('R');
        writePut(nextMemo++); // the backward-hooks OrderedDict
        out.write('t');
        writePut(nextMemo++); // the argument tuple
        out.write('R');
        writePut(nextMemo++); // the tensor; a second reference to the same NdArray is a second tensor, as in torch
    }

    private static Object[] boxed(long[] v) {
        Object[] o = new Object[v.length];
        for (int i = 0; i < v.length; i++) {
            o[i] = v[i];
        }
        return o;
    }

    /** numpy's dtype.__reduce__: dtype(code, False, True) then BUILD with its state tuple; one object per code. */
    private void saveNumpyDType(String code) {
        Integer at = valueMemo.get(new DTypeRef(code));
        if (at != null) {
            get(at);
            return;
        }
        saveGlobal("numpy", "dtype");
        saveTuple(new Object[] {code, false, true});
        out.write('R');
        put(new DTypeRef(code));
        // (version 3, byte order, subarray, names, fields, elsize, alignment, flags)
        String order = code.endsWith("1") ? "|" : "<";
        save(new Object[] {3, order, null, null, null, -1, -1, 0});
        out.write('b');
    }

    /** A numpy dtype by its type code, e.g. {@code f8}. */
    private record DTypeRef(String code) {
    }

    private void saveGlobal(String module, String name) {
        GlobalRef ref = new GlobalRef(module, name);
        Integer at = valueMemo.get(ref);
        if (at != null) {
            get(at);
            return;
        }
        out.write('c');
        writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
        put(ref);
    }

    /** A global named inside a tuple (the storage class of a persistent id). */
    private record GlobalRef(String module, String name) {
    }

    /**
     * Strings are memoized by identity, as CPython memoizes by id: a string read from a pickle and
     * reached again through the memo is written as a memo GET again, a distinct equal string is not.
     */
    private void saveString(String s) {
        if (reuse(s)) {
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write('X');
        writeInt32(b.length);
        writeBytes(b);
        memoize(s);
    }

    private void saveInt(long v) {
        if (v >= 0 && v < 256) {
            out.write('K');
            out.write((int) v);
        } else if (v >= 0 && v < 65536) {
            out.write('M');
            out.write((int) (v & 0xff));
            out.write((int) (v >>> 8));
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            out.write('J');
            writeInt32((int) v);
        } else {
            saveBig(BigInteger.valueOf(v));
        }
    }

    private void saveBig(BigInteger v) {
        byte[] be = v.toByteArray();
        out.write(0x8a);
        out.write(be.length);
        for (int i = be.length - 1; i >= 0; i--) {
            out.write(be[i]);
        }
    }

    private boolean reuse(Object o) {
        Integer at = memo.get(o);
        if (at == null) {
            return false;
        }
        get(at);
        return true;
    }

    private void memoize(Object o) {
        memo.put(o, nextMemo);
        writePut(nextMemo++);
    }

    private void put(Object value) {
        valueMemo.put(value, nextMemo);
        writePut(nextMemo++);
    }

    private void writePut(int i) {
        if (i < 256) {
            out.write('q');
            out.write(i);
        } else {
            out.write('r');
            writeInt32(i);
        }
    }

    private void get(int i) {
        if (i < 256) {
            out.write('h');
            out.write(i);
        } else {
            out.write('j');
            writeInt32(i);
        }
    }

    private void writeInt32(int v) {
        writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
    }

    private void writeBytes(byte[] b) {
        out.write(b, 0, b.length);
    }
}
