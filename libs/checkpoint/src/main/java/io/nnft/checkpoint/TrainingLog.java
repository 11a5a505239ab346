package io.nnft.checkpoint;

import io.nnft.checkpoint.pickle.NumpyScalar;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * nnU-Net's {@code nnUNetLogger} state ({@code checkpoint['logging']}): one list per key, one entry per
 * epoch. The element types are those nnU-Net produces and are kept exactly: numpy float64 for the
 * Dice values, numpy float32 for the losses, Python floats for lrs and timestamps.
 */
public final class TrainingLog {
    public static final String MEAN_FG_DICE = "mean_fg_dice";
    public static final String EMA_FG_DICE = "ema_fg_dice";
    public static final String DICE_PER_CLASS_OR_REGION = "dice_per_class_or_region";
    public static final String TRAIN_LOSSES = "train_losses";
    public static final String VAL_LOSSES = "val_losses";
    public static final String LRS = "lrs";
    public static final String EPOCH_START_TIMESTAMPS = "epoch_start_timestamps";
    public static final String EPOCH_END_TIMESTAMPS = "epoch_end_timestamps";
    /** nnUNetLogger's keys in its order. */
    public static final List<String> KEYS = List.of(MEAN_FG_DICE, EMA_FG_DICE, DICE_PER_CLASS_OR_REGION,
            TRAIN_LOSSES, VAL_LOSSES, LRS, EPOCH_START_TIMESTAMPS, EPOCH_END_TIMESTAMPS);

    private final LinkedHashMap<String, List<Object>> values;

    private TrainingLog(LinkedHashMap<String, List<Object>> values) {
        this.values = values;
    }

    /** A log with nnU-Net's eight keys and no epochs. */
    public static TrainingLog empty() {
        LinkedHashMap<String, List<Object>> v = new LinkedHashMap<>();
        KEYS.forEach(k -> v.put(k, new ArrayList<>()));
        return new TrainingLog(v);
    }

    /** Appends one epoch with nnU-Net's element types. */
    public void addEpoch(double meanFgDice, double emaFgDice, double[] dicePerClassOrRegion, float trainLoss,
            float valLoss, double lr, double epochStart, double epochEnd) {
        List<Object> perClass = new ArrayList<>();
        for (double d : dicePerClassOrRegion) {
            perClass.add(NumpyScalar.float64(d));
        }
        list(MEAN_FG_DICE).add(NumpyScalar.float64(meanFgDice));
        list(EMA_FG_DICE).add(NumpyScalar.float64(emaFgDice));
        list(DICE_PER_CLASS_OR_REGION).add(perClass);
        list(TRAIN_LOSSES).add(NumpyScalar.float32(trainLoss));
        list(VAL_LOSSES).add(NumpyScalar.float32(valLoss));
        list(LRS).add(lr);
        list(EPOCH_START_TIMESTAMPS).add(epochStart);
        list(EPOCH_END_TIMESTAMPS).add(epochEnd);
    }

    private List<Object> list(String key) {
        return values.computeIfAbsent(key, k -> new ArrayList<>());
    }

    /** The values of a per-epoch scalar series (e.g. {@link #TRAIN_LOSSES}) as doubles. */
    public List<Double> series(String key) {
        List<Object> raw = values.get(key);
        if (raw == null) {
            throw new IllegalArgumentException("logging has no key '" + key + "'; it has " + values.keySet());
        }
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            out.add(PyValues.asDouble(raw.get(i), "logging['" + key + "'][" + i + "]"));
        }
        return out;
    }

    /** Per epoch, the Dice of each foreground class or region. */
    public List<List<Double>> dicePerClassOrRegion() {
        List<Object> raw = values.getOrDefault(DICE_PER_CLASS_OR_REGION, List.of());
        List<List<Double>> out = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            if (!(raw.get(i) instanceof List<?> l)) {
                throw new IllegalArgumentException("logging['dice_per_class_or_region'][" + i + "] must be a list, found "
                        + PyValues.typeName(raw.get(i)));
            }
            List<Double> epoch = new ArrayList<>();
            for (Object o : l) {
                epoch.add(PyValues.asDouble(o, "logging['dice_per_class_or_region'][" + i + "]"));
            }
            out.add(epoch);
        }
        return out;
    }

    /** The raw Python values (numpy scalars, floats, lists) per key. */
    public Map<String, List<Object>> raw() {
        return Collections.unmodifiableMap(values);
    }

    Map<Object, Object> toPickle() {
        return new LinkedHashMap<>(values);
    }

    static TrainingLog fromPickle(Object o, String where) {
        if (!(o instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException(where + ": logging must be a dict, found " + PyValues.typeName(o));
        }
        LinkedHashMap<String, List<Object>> v = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String k) || !(e.getValue() instanceof List<?> l)) {
                throw new IllegalArgumentException(where + ": logging['" + e.getKey() + "'] must be a list, found "
                        + PyValues.typeName(e.getValue()));
            }
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) l;
            v.put(k, list);
        }
        return new TrainingLog(v);
    }
}
