package org.proofmap.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The attributes of one operator node, independent of the file format. Values are {@code Long},
 * {@code Double}, {@code String}, {@code long[]}, {@code double[]} or {@link Tensor}. Getters check
 * the type and name the attribute in their error.
 */
public final class Attributes {
    private final Map<String, Object> values;

    public Attributes(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static Attributes none() {
        return new Attributes(Map.of());
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public Set<String> names() {
        return values.keySet();
    }

    public long getInt(String name, long dflt) {
        Object v = values.get(name);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Long l) {
            return l;
        }
        throw wrongType(name, "an integer", v);
    }

    public double getFloat(String name, double dflt) {
        Object v = values.get(name);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Double d) {
            return d;
        }
        if (v instanceof Long l) {
            return l;
        }
        throw wrongType(name, "a float", v);
    }

    public String getString(String name, String dflt) {
        Object v = values.get(name);
        if (v == null) {
            return dflt;
        }
        if (v instanceof String s) {
            return s;
        }
        throw wrongType(name, "a string", v);
    }

    /** A list of integers, or {@code null} when absent. */
    public long[] getInts(String name) {
        Object v = values.get(name);
        if (v == null) {
            return null;
        }
        if (v instanceof long[] a) {
            return a.clone();
        }
        throw wrongType(name, "a list of integers", v);
    }

    /** A list of floats, or {@code null} when absent. */
    public double[] getFloats(String name) {
        Object v = values.get(name);
        if (v == null) {
            return null;
        }
        if (v instanceof double[] a) {
            return a.clone();
        }
        throw wrongType(name, "a list of floats", v);
    }

    /** A tensor, or {@code null} when absent. */
    public Tensor getTensor(String name) {
        Object v = values.get(name);
        if (v == null) {
            return null;
        }
        if (v instanceof Tensor t) {
            return t;
        }
        throw wrongType(name, "a tensor", v);
    }

    private static ModelException wrongType(String name, String expected, Object v) {
        return new ModelException("attribute '" + name + "' should be " + expected + ", found "
                + v.getClass().getSimpleName());
    }
}
