package io.nnft.checkpoint.pickle;

import io.nnft.imageio.NdArray;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

/**
 * Razorvine's unpickler restricted to what a PyTorch checkpoint needs. Every opcode that names or
 * calls a Python object (GLOBAL, STACK_GLOBAL, INST, OBJ, NEWOBJ, EXT*, REDUCE, BUILD) is handled here:
 * a global outside {@link AllowedGlobals} is refused with its name before anything is called, so a
 * hostile pickle never instantiates anything. Razorvine's process-wide constructor registry is never
 * consulted. Dicts keep their order (razorvine would use HashMap).
 */
public final class AllowListUnpickler extends Unpickler {
    private static final short EXT1 = 0x82;
    private static final short EXT2 = 0x83;
    private static final short EXT4 = 0x84;
    private static final short NEWOBJ = 0x81;
    private static final short NEWOBJ_EX = 0x92;
    private static final short STACK_GLOBAL = 0x93;
    private static final short BINUNICODE8 = 0x8d;
    private static final short BINBYTES8 = 0x8e;
    private static final short BYTEARRAY8 = 0x96;
    private static final short LONG4 = 0x8b;
    private static final short ADDITEMS = 0x90;
    private static final short FROZENSET = 0x91;

    private final StorageSource storages;
    private final String where;
    private final Map<String, Storage> storageCache = new HashMap<>();
    private final Map<TensorKey, NdArray> tensorCache = new HashMap<>();
    private ByteArrayInputStream source;

    /**
     * @param storages the zip's storage records, or null for a pickle that must not reference storages
     * @param where    the file/record named in error messages
     */
    public AllowListUnpickler(StorageSource storages, String where) {
        this.storages = storages;
        this.where = where;
    }

    /** Unpickles {@code pickle}; refusals surface as {@link PickleRefusedException}. */
    public Object load(byte[] pickle) throws IOException {
        source = new ByteArrayInputStream(pickle);
        try {
            return load(source);
        } catch (PickleRefusedException e) {
            throw e;
        } catch (PickleException | ClassCastException | IndexOutOfBoundsException | ArithmeticException
                 // razorvine's opcode handlers assume a well-formed pickle: a text INT/LONG/FLOAT that is no number
                 // (NumberFormatException), APPEND/SETITEM on None (NPE), a length byte read at the end of the
                 // stream (-1: NegativeArraySizeException). Found by CheckpointFuzzTest; all mean "malformed".
                 | IllegalArgumentException | NullPointerException | NegativeArraySizeException e) {
            throw new PickleRefusedException(where + ": malformed pickle: " + e);
        } finally {
            close();
        }
    }

    @Override
    protected Object dispatch(short key) throws PickleException, IOException {
        switch (key) {
            case 'c':
                stack.add(AllowedGlobals.resolve(PickleUtils.readline(input), PickleUtils.readline(input), this));
                return NO_RETURN_VALUE;
            case STACK_GLOBAL: {
                Object name = stack.pop();
                Object module = stack.pop();
                if (!(module instanceof String) || !(name instanceof String)) {
                    throw refused("STACK_GLOBAL expects two strings, found " + describe(module) + ", " + describe(name));
                }
                stack.add(AllowedGlobals.resolve((String) module, (String) name, this));
                return NO_RETURN_VALUE;
            }
            case 'R':
                reduce();
                return NO_RETURN_VALUE;
            case 'b':
                build();
                return NO_RETURN_VALUE;
            case '}':
                stack.add(new LinkedHashMap<Object, Object>());
                return NO_RETURN_VALUE;
            case 'd': {
                List<Object> items = stack.pop_all_since_marker();
                Map<Object, Object> dict = new LinkedHashMap<>();
                for (int i = 0; i + 1 < items.size(); i += 2) {
                    dict.put(hashable(items.get(i)), items.get(i + 1));
                }
                stack.add(dict);
                return NO_RETURN_VALUE;
            }
            case 'u': {
                // razorvine gathers SETITEMS in a HashMap first, losing the order of state_dict keys
                List<Object> items = stack.pop_all_since_marker();
                if (!(stack.peek() instanceof Map)) {
                    throw refused("SETITEMS on " + describe(stack.peek()) + ", expected a dict");
                }
                @SuppressWarnings("unchecked")
                Map<Object, Object> dict = (Map<Object, Object>) stack.peek();
                for (int i = 0; i + 1 < items.size(); i += 2) {
                    dict.put(hashable(items.get(i)), items.get(i + 1));
                }
                return NO_RETURN_VALUE;
            }
            case 's': {
                Object value = stack.pop();
                Object k = stack.pop();
                if (!(stack.peek() instanceof Map)) {
                    throw refused("SETITEM on " + describe(stack.peek()) + ", expected a dict");
                }
                @SuppressWarnings("unchecked")
                Map<Object, Object> dict = (Map<Object, Object>) stack.peek();
                dict.put(hashable(k), value);
                return NO_RETURN_VALUE;
            }
            case ADDITEMS:
            case FROZENSET:
                // a set is never part of a checkpoint, and one holding a self-containing list would recurse in hashCode
                throw refused("pickle opcode 0x" + Integer.toHexString(key) + " (set) is not allowed in a checkpoint");
            case LONG4:
                checkLength(4);
                return super.dispatch(key);
            case 'i':
            case 'o':
            case NEWOBJ:
            case NEWOBJ_EX:
            case EXT1:
            case EXT2:
            case EXT4:
                throw refused("pickle opcode 0x" + Integer.toHexString(key)
                        + " (object construction by class) is not allowed in a checkpoint");
            case 'X':
            case 'B':
            case 'T':
                checkLength(4);
                return super.dispatch(key);
            case BINUNICODE8:
            case BINBYTES8:
            case BYTEARRAY8:
                checkLength(8);
                return super.dispatch(key);
            default:
                return super.dispatch(key);
        }
    }

    /**
     * Python refuses lists and dicts as dict keys (unhashable); Java would hash them by content, and a list that
     * contains itself (one APPEND of its own memo entry) recurses until the stack overflows.
     */
    private Object hashable(Object k) {
        if (k instanceof List || k instanceof Map || k instanceof java.util.Set) {
            throw refused("dict key of type " + describe(k) + " is unhashable");
        }
        return k;
    }

    /** Refuses a length prefix longer than the rest of the pickle before razorvine allocates it. */
    private void checkLength(int width) {
        source.mark(0);
        byte[] b = new byte[width];
        int got = source.read(b, 0, width);
        source.reset();
        if (got < width) {
            throw refused("truncated pickle: length prefix cut off");
        }
        long len = 0;
        for (int i = width - 1; i >= 0; i--) {
            len = (len << 8) | (b[i] & 0xff);
        }
        if (len < 0 || len > source.available() - width) {
            throw refused("truncated pickle: a string/bytes of " + len + " bytes but only "
                    + (source.available() - width) + " bytes remain");
        }
    }

    private void reduce() {
        Object args = stack.pop();
        Object callable = stack.pop();
        if (!(callable instanceof AllowedGlobals.Callable)) {
            throw refused("REDUCE calls " + describe(callable) + ", which is not an allowed callable");
        }
        if (!(args instanceof Object[])) {
            throw refused("REDUCE of " + callable + " expects an argument tuple, found " + describe(args));
        }
        stack.add(((IObjectConstructor) callable).construct((Object[]) args));
    }

    private void build() {
        Object state = stack.pop();
        Object target = stack.peek();
        if (target instanceof PyOrderedDict && state instanceof Map<?, ?> m
                && m.keySet().stream().allMatch("_metadata"::equals)) {
            Object meta = m.get("_metadata");
            if (meta != null && !(meta instanceof Map)) {
                throw refused("state_dict _metadata must be a dict, found " + describe(meta));
            }
            @SuppressWarnings("unchecked")
            Map<Object, Object> metadata = (Map<Object, Object>) meta;
            ((PyOrderedDict) target).setMetadata(metadata);
        } else if (target instanceof NumpyDTypeValue dtype && state instanceof Object[] t && t.length >= 2
                && t[1] instanceof String order && order.length() == 1) {
            dtype.setByteOrder(order.charAt(0));
        } else {
            throw refused("BUILD with state " + describe(state) + " on " + describe(target) + " is not allowed");
        }
    }

    Storage storage(Object pid) {
        if (!(pid instanceof Object[] t) || t.length != 5 || !"storage".equals(t[0])) {
            throw refused("persistent id must be ('storage', type, key, location, numel), found " + describe(pid));
        }
        if (!(t[1] instanceof AllowedGlobals.StorageClass cls) || !(t[2] instanceof String key)
                || !(t[4] instanceof Number numel)) {
            throw refused("persistent id ('storage', " + describe(t[1]) + ", " + describe(t[2]) + ", …, "
                    + describe(t[4]) + ") is malformed");
        }
        if (storages == null) {
            throw refused("pickle references storage '" + key + "' but has no storage records");
        }
        Storage cached = storageCache.get(key);
        if (cached != null) {
            if (cached.type() != cls.type() || cached.numel() != numel.longValue()) {
                throw refused("storage '" + key + "' is referenced as " + cls.type().className() + "[" + numel
                        + "] and as " + cached.type().className() + "[" + cached.numel() + "]");
            }
            return cached;
        }
        ByteBuffer bytes;
        try {
            bytes = storages.bytes(key).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw refused(e.getMessage());
        }
        long expected = numel.longValue() * cls.type().dtype().size();
        if (numel.longValue() < 0 || bytes.remaining() != expected) {
            throw refused("storage record 'data/" + key + "' has " + bytes.remaining() + " bytes but the pickle declares "
                    + numel + " " + cls.type().dtype() + " elements (" + expected + " bytes)");
        }
        Storage s = new Storage(key, cls.type(), numel.longValue(), bytes);
        storageCache.put(key, s);
        return s;
    }

    @Override
    protected Object persistentLoad(Object pid) {
        return storage(pid);
    }

    /** Same storage, offset, size and stride → the same NdArray, so aliased state_dict entries stay shared. */
    NdArray tensor(Storage storage, long offset, long[] size, long[] stride) {
        TensorKey k = new TensorKey(storage.key(), offset, List.of(box(size)), List.of(box(stride)));
        return tensorCache.computeIfAbsent(k, x -> TensorView.materialise(storage, offset, size, stride,
                where + " storage '" + storage.key() + "'"));
    }

    private static Long[] box(long[] v) {
        Long[] out = new Long[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    PickleRefusedException refused(String message) {
        return new PickleRefusedException(where + ": " + message);
    }

    String where() {
        return where;
    }

    static String describe(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof Object[] a) {
            return "tuple of " + a.length;
        }
        if (o instanceof AllowedGlobals.Callable || o instanceof AllowedGlobals.StorageClass) {
            return o.toString();
        }
        return o.getClass().getSimpleName();
    }

    private record TensorKey(String storage, long offset, List<Long> size, List<Long> stride) {
    }
}
