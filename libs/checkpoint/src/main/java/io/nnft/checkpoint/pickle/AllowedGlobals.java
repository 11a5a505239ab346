package io.nnft.checkpoint.pickle;

import io.nnft.imageio.DType;
import io.nnft.imageio.NdArray;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import net.razorvine.pickle.IObjectConstructor;

/**
 * The only Python globals a checkpoint may name, each mapped to a small Java constructor. Anything
 * else (os.system, builtins.eval, numpy's array reconstruction, …) is refused by its dotted name.
 */
final class AllowedGlobals {
    /** numpy 1 and numpy 2 spell the scalar reconstructor's module differently. */
    private static final Set<String> NUMPY_SCALAR_MODULES = Set.of("numpy.core.multiarray", "numpy._core.multiarray");

    private AllowedGlobals() {
    }

    static Object resolve(String module, String name, AllowListUnpickler u) {
        String full = module + "." + name;
        switch (full) {
            case "collections.OrderedDict":
                return new Callable(full, args -> orderedDict(args, u));
            case "torch._utils._rebuild_tensor_v2":
                return new Callable(full, args -> rebuildTensor(args, u));
            case "torch._utils._rebuild_parameter":
                return new Callable(full, args -> rebuildParameter(args, u));
            case "torch.device":
                return new Callable(full, args -> device(args, u));
            case "numpy.dtype":
                return new Callable(full, args -> numpyDType(args, u));
            case "_codecs.encode":
                return new Callable(full, args -> encode(args, u));
            default:
                break;
        }
        if (NUMPY_SCALAR_MODULES.contains(module) && name.equals("scalar")) {
            return new Callable(full, args -> numpyScalar(args, u));
        }
        if (module.equals("torch")) {
            StorageType t = StorageType.forClassName(name);
            if (t != null) {
                return new StorageClass(t);
            }
            if (StorageType.UNSUPPORTED.containsKey(name)) {
                throw u.refused("tensors of " + StorageType.UNSUPPORTED.get(name) + " (torch." + name
                        + ") are not supported; expected float16/32/64 or integer storages");
            }
        }
        throw u.refused("pickle global '" + full + "' is not on the allow-list of checkpoint types");
    }

    /** A callable global; REDUCE only calls instances of this class. */
    static final class Callable implements IObjectConstructor {
        private final String name;
        private final java.util.function.Function<Object[], Object> body;

        Callable(String name, java.util.function.Function<Object[], Object> body) {
            this.name = name;
            this.body = body;
        }

        @Override
        public Object construct(Object[] args) {
            return body.apply(args);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** {@code torch.FloatStorage} & co.: only meaningful inside a storage persistent id, never called. */
    record StorageClass(StorageType type) {
        @Override
        public String toString() {
            return "torch." + type.className();
        }
    }

    private static Object orderedDict(Object[] args, AllowListUnpickler u) {
        PyOrderedDict d = new PyOrderedDict();
        if (args.length == 0) {
            return d;
        }
        if (args.length == 1 && args[0] instanceof Collection<?> pairs) {
            for (Object p : pairs) {
                if (!(p instanceof Object[] kv) || kv.length != 2) {
                    throw u.refused("OrderedDict(...) expects (key, value) pairs, found " + AllowListUnpickler.describe(p));
                }
                d.put(kv[0], kv[1]);
            }
            return d;
        }
        throw u.refused("OrderedDict called with " + args.length + " unexpected arguments");
    }

    private static Object rebuildTensor(Object[] a, AllowListUnpickler u) {
        // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
        if (a.length < 6 || a.length > 7 || !(a[0] instanceof Storage storage) || !(a[1] instanceof Number offset)) {
            throw u.refused("_rebuild_tensor_v2 expects (storage, offset, size, stride, requires_grad, hooks), found "
                    + a.length + " arguments starting with " + (a.length > 0 ? AllowListUnpickler.describe(a[0]) : "nothing"));
        }
        checkEmptyHooks(a[5], u);
        return u.tensor(storage, offset.longValue(), longs(a[2], "size", u), longs(a[3], "stride", u));
    }

    private static Object rebuildParameter(Object[] a, AllowListUnpickler u) {
        if (a.length != 3 || !(a[0] instanceof NdArray)) {
            throw u.refused("_rebuild_parameter expects (tensor, requires_grad, hooks), found " + a.length + " arguments");
        }
        checkEmptyHooks(a[2], u);
        return a[0];
    }

    private static void checkEmptyHooks(Object hooks, AllowListUnpickler u) {
        if (hooks != null && !(hooks instanceof Map<?, ?> m && m.isEmpty())) {
            throw u.refused("tensor backward hooks must be an empty OrderedDict, found " + AllowListUnpickler.describe(hooks));
        }
    }

    private static long[] longs(Object tuple, String what, AllowListUnpickler u) {
        if (!(tuple instanceof Object[] t)) {
            throw u.refused("tensor " + what + " must be a tuple of ints, found " + AllowListUnpickler.describe(tuple));
        }
        long[] out = new long[t.length];
        for (int i = 0; i < t.length; i++) {
            if (!(t[i] instanceof Integer || t[i] instanceof Long)) {
                throw u.refused("tensor " + what + " must be a tuple of ints, found " + AllowListUnpickler.describe(t[i]));
            }
            out[i] = ((Number) t[i]).longValue();
        }
        return out;
    }

    private static Object device(Object[] a, AllowListUnpickler u) {
        if (a.length == 1 && a[0] instanceof String s) {
            int colon = s.indexOf(':');
            return colon < 0 ? new TorchDevice(s, null)
                    : new TorchDevice(s.substring(0, colon), Integer.valueOf(s.substring(colon + 1)));
        }
        if (a.length == 2 && a[0] instanceof String s && (a[1] == null || a[1] instanceof Integer)) {
            return new TorchDevice(s, (Integer) a[1]);
        }
        throw u.refused("torch.device expects ('type'[, index]), found " + a.length + " arguments");
    }

    private static Object numpyDType(Object[] a, AllowListUnpickler u) {
        if (a.length != 3 || !(a[0] instanceof String code)) {
            throw u.refused("numpy.dtype expects (code, align, copy), found " + a.length + " arguments");
        }
        return new NumpyDTypeValue(code);
    }

    private static Object numpyScalar(Object[] a, AllowListUnpickler u) {
        if (a.length != 2 || !(a[0] instanceof NumpyDTypeValue dt) || !(a[1] instanceof byte[] bytes)) {
            throw u.refused("numpy scalar expects (dtype, bytes), found " + a.length + " arguments");
        }
        DType dtype = dt.toDType(u.where());
        if (bytes.length != dtype.size()) {
            throw u.refused("numpy " + dtype + " scalar needs " + dtype.size() + " bytes, found " + bytes.length);
        }
        return new NumpyScalar(dtype, bytes);
    }

    private static Object encode(Object[] a, AllowListUnpickler u) {
        // protocol-2 pickles of Python 3 bytes: _codecs.encode('<latin-1 text>', 'latin1')
        if (a.length != 2 || !(a[0] instanceof String text) || !(a[1] instanceof String enc)) {
            throw u.refused("_codecs.encode expects (str, encoding), found " + a.length + " arguments");
        }
        switch (enc.toLowerCase().replace('_', '-')) {
            case "latin1":
            case "latin-1":
            case "iso-8859-1":
                if (text.chars().anyMatch(ch -> ch > 0xff)) {
                    throw u.refused("_codecs.encode(…, 'latin1') of text with characters beyond latin-1");
                }
                return text.getBytes(StandardCharsets.ISO_8859_1);
            case "utf-8":
            case "utf8":
                return text.getBytes(StandardCharsets.UTF_8);
            default:
                throw u.refused("_codecs.encode with encoding '" + enc + "' is not supported");
        }
    }
}
