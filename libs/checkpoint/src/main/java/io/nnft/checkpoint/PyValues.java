package io.nnft.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nnft.checkpoint.pickle.NumpyScalar;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Conversions between unpickled Python values and JSON/Java numbers. nnU-Net's {@code init_args}
 * hold the plans and dataset.json as the dicts {@code json.load} produced, so JSON maps onto them
 * one to one (ints stay ints, floats stay floats, key order is kept).
 */
public final class PyValues {
    private PyValues() {
    }

    /** JSON → the Python value {@code json.load} would give (dict → LinkedHashMap, list → ArrayList). */
    public static Object fromJson(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isObject()) {
            Map<Object, Object> m = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                m.put(e.getKey(), fromJson(e.getValue()));
            }
            return m;
        }
        if (n.isArray()) {
            List<Object> l = new ArrayList<>();
            n.forEach(x -> l.add(fromJson(x)));
            return l;
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isIntegralNumber()) {
            return n.canConvertToInt() ? (Object) n.intValue() : n.canConvertToLong() ? (Object) n.longValue() : n.bigIntegerValue();
        }
        if (n.isNumber()) {
            return n.doubleValue();
        }
        return n.asText();
    }

    /** A Python value as JSON (tuples become arrays, numpy scalars numbers, devices strings). */
    public static JsonNode toJson(Object o) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (o == null) {
            return f.nullNode();
        }
        if (o instanceof Map<?, ?> m) {
            ObjectNode obj = f.objectNode();
            m.forEach((k, v) -> obj.set(String.valueOf(k), toJson(v)));
            return obj;
        }
        if (o instanceof Iterable<?> it) {
            ArrayNode a = f.arrayNode();
            it.forEach(x -> a.add(toJson(x)));
            return a;
        }
        if (o instanceof Object[] t) {
            ArrayNode a = f.arrayNode();
            for (Object x : t) {
                a.add(toJson(x));
            }
            return a;
        }
        if (o instanceof Boolean b) {
            return f.booleanNode(b);
        }
        if (o instanceof Integer i) {
            return f.numberNode(i);
        }
        if (o instanceof Long l) {
            return f.numberNode(l);
        }
        if (o instanceof BigInteger b) {
            return f.numberNode(b);
        }
        if (o instanceof Number num) {
            return f.numberNode(num.doubleValue());
        }
        if (o instanceof NumpyScalar s) {
            return f.numberNode(s.doubleValue());
        }
        return f.textNode(String.valueOf(o));
    }

    /** A Python float, int or numpy scalar as double; {@code where} names the field in the error. */
    public static double asDouble(Object o, String where) {
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        if (o instanceof NumpyScalar s) {
            return s.doubleValue();
        }
        throw new IllegalArgumentException(where + ": expected a number, found " + typeName(o));
    }

    public static int asInt(Object o, String where) {
        if (o instanceof Integer || o instanceof Long) {
            return Math.toIntExact(((Number) o).longValue());
        }
        throw new IllegalArgumentException(where + ": expected an int, found " + typeName(o));
    }

    static String typeName(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof Object[]) {
            return "tuple";
        }
        return o.getClass().getSimpleName();
    }
}
