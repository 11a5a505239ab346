package io.nnft.checkpoint;

import io.nnft.imageio.NdArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * nnU-Net's PlainConvUNet state_dict registers most tensors more than once: every
 * {@code ConvDropoutNormReLU} also lists its conv and norm inside {@code all_modules} (a Sequential of
 * conv, [dropout], norm, nonlin), and the decoder keeps a reference to the encoder, so every
 * {@code encoder.*} entry reappears as {@code decoder.encoder.*}. The canonical names (one per
 * distinct tensor, those of nnU-Net's optimizer and of the train_step fixtures) drop both aliases.
 *
 * <p>Order: {@code state_dict()} walks modules depth-first in registration order, a module's own
 * parameters (weight, then bias) before its children. Registration order is: PlainConvUNet → encoder,
 * decoder; UNetDecoder → encoder, stages, transpconvs, seg_layers; ConvDropoutNormReLU → conv,
 * dropout, norm, nonlin, all_modules; list indices numerically. {@link #ORDER} encodes exactly that.
 */
public final class StateDictKeys {
    private static final String DECODER_ENCODER = "decoder.encoder.";
    private static final Pattern ALL_MODULES = Pattern.compile("\\.all_modules\\.(\\d+)\\.");
    /** A conv or norm parameter of a ConvDropoutNormReLU (which sits in a StackedConvBlocks' {@code convs}). */
    private static final Pattern BLOCK_PARAM = Pattern.compile("^(.*\\.convs\\.\\d+)\\.(conv|norm)\\.([^.]+)$");
    private static final Pattern CONV_BLOCK = Pattern.compile(".*\\.convs\\.\\d+$");

    /** Registration rank of every module/parameter name PlainConvUNet uses (only relative order matters). */
    private static final Map<String, Integer> RANK = rank("encoder", "decoder", "stages", "transpconvs",
            "seg_layers", "convs", "conv", "dropout", "norm", "nonlin", "all_modules", "weight", "bias");

    /** nnU-Net's state_dict order for PlainConvUNet keys. */
    public static final Comparator<String> ORDER = StateDictKeys::compare;

    private StateDictKeys() {
    }

    /** The canonical name of a key: {@code decoder.encoder.X → encoder.X}, {@code all_modules.0 → conv}, {@code all_modules.k → norm}. */
    public static String canonicalName(String key) {
        String k = key.startsWith(DECODER_ENCODER) ? key.substring("decoder.".length()) : key;
        Matcher m = ALL_MODULES.matcher(k);
        if (m.find()) {
            String module = m.group(1).equals("0") ? ".conv." : ".norm.";
            k = k.substring(0, m.start()) + module + k.substring(m.end());
        }
        return k;
    }

    public static boolean isAlias(String key) {
        return !canonicalName(key).equals(key);
    }

    /**
     * Drops the aliases of a full state_dict, checking that each alias holds exactly the tensor of its
     * canonical twin (dtype, shape and bytes). Keeps the canonical entries in their order.
     */
    public static LinkedHashMap<String, NdArray> canonicalize(Map<String, NdArray> stateDict) {
        LinkedHashMap<String, NdArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, NdArray> e : stateDict.entrySet()) {
            if (!isAlias(e.getKey())) {
                out.put(e.getKey(), e.getValue());
            }
        }
        for (Map.Entry<String, NdArray> e : stateDict.entrySet()) {
            String canonical = canonicalName(e.getKey());
            if (canonical.equals(e.getKey())) {
                continue;
            }
            NdArray twin = out.get(canonical);
            if (twin == null) {
                throw new IllegalArgumentException("state_dict key '" + e.getKey() + "' is an alias of '" + canonical
                        + "', which is missing");
            }
            String diff = difference(twin, e.getValue());
            if (diff != null) {
                throw new IllegalArgumentException("state_dict key '" + e.getKey() + "' should hold the same tensor as '"
                        + canonical + "' but " + diff);
            }
        }
        return out;
    }

    /** nnU-Net's full key list for canonical keys: aliases added, in state_dict order. */
    public static List<String> expand(List<String> canonicalKeys) {
        Set<String> seen = new HashSet<>();
        List<String> out = new ArrayList<>();
        for (String k : canonicalKeys) {
            if (isAlias(k)) {
                throw new IllegalArgumentException("expand expects canonical keys, found alias '" + k + "' (canonical '"
                        + canonicalName(k) + "')");
            }
            if (!seen.add(k)) {
                throw new IllegalArgumentException("duplicate canonical key '" + k + "'");
            }
            List<String> forms = new ArrayList<>();
            forms.add(k);
            Matcher m = BLOCK_PARAM.matcher(k);
            if (m.matches()) {
                forms.add(m.group(1) + ".all_modules." + (m.group(2).equals("conv") ? "0" : "1") + "." + m.group(3));
            }
            for (String f : forms) {
                out.add(f);
                if (f.startsWith(ModelFolder.ENCODER_PREFIX)) {
                    out.add("decoder." + f);
                }
            }
        }
        out.sort(ORDER);
        return out;
    }

    /** The full state_dict of canonical weights; alias entries are the same NdArray instances. */
    public static LinkedHashMap<String, NdArray> expand(Map<String, NdArray> canonical) {
        LinkedHashMap<String, NdArray> out = new LinkedHashMap<>();
        for (String k : expand(new ArrayList<>(canonical.keySet()))) {
            out.put(k, canonical.get(canonicalName(k)));
        }
        return out;
    }

    /**
     * The {@code _metadata} PyTorch attaches to a state_dict: every module path (including
     * parameterless ones: nonlin, the nonlin inside all_modules) → its {@code _version}, which is 2 for
     * InstanceNorm (a {@code _NormBase}) and 1 for the others. Assumes nnU-Net's default of no dropout;
     * refuses keys outside PlainConvUNet.
     */
    public static LinkedHashMap<String, Integer> moduleVersions(List<String> fullKeys) {
        LinkedHashMap<String, Integer> out = new LinkedHashMap<>();
        out.put("", 1);
        for (String key : fullKeys) {
            String[] parts = key.split("\\.");
            for (String part : parts) {
                if (!part.chars().allMatch(Character::isDigit)) {
                    rank(part, key); // refuses module names outside PlainConvUNet
                }
            }
            StringBuilder path = new StringBuilder();
            for (int i = 0; i < parts.length - 1; i++) {
                if (i > 0) {
                    path.append('.');
                }
                path.append(parts[i]);
                String p = path.toString();
                if (out.containsKey(p)) {
                    continue;
                }
                boolean norm = p.endsWith(".norm") || p.endsWith(".all_modules.1");
                out.put(p, norm ? 2 : 1);
                String parent = p.substring(0, Math.max(0, p.lastIndexOf('.')));
                if (p.endsWith(".norm") && CONV_BLOCK.matcher(parent).matches()) {
                    out.put(parent + ".nonlin", 1);
                } else if (p.endsWith(".all_modules.1")) {
                    out.put(parent + ".2", 1);
                }
            }
        }
        return out;
    }

    private static String difference(NdArray a, NdArray b) {
        if (a == b) {
            return null;
        }
        if (a.dtype() != b.dtype()) {
            return "its dtype is " + b.dtype() + " instead of " + a.dtype();
        }
        if (!Arrays.equals(a.shape(), b.shape())) {
            return "its shape is " + Arrays.toString(b.shape()) + " instead of " + Arrays.toString(a.shape());
        }
        if (!a.data().equals(b.data())) {
            return "its values differ";
        }
        return null;
    }

    private static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = compareToken(x[i], y[i], a, b);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }

    private static int compareToken(String s, String t, String a, String b) {
        if (s.equals(t)) {
            return 0;
        }
        boolean ns = s.chars().allMatch(Character::isDigit);
        boolean nt = t.chars().allMatch(Character::isDigit);
        if (ns && nt) {
            return Long.compare(Long.parseLong(s), Long.parseLong(t));
        }
        return Integer.compare(rank(s, a), rank(t, b));
    }

    private static int rank(String token, String key) {
        Integer r = RANK.get(token);
        if (r == null) {
            throw new IllegalArgumentException("state_dict key '" + key + "' has module name '" + token
                    + "', which is not part of nnU-Net's PlainConvUNet " + RANK.keySet());
        }
        return r;
    }

    private static Map<String, Integer> rank(String... names) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            m.put(names[i], i);
        }
        return m;
    }
}
