package io.nnft.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import io.nnft.checkpoint.pickle.NumpyScalar;
import io.nnft.checkpoint.pickle.PyOrderedDict;
import io.nnft.checkpoint.pickle.TorchDevice;
import io.nnft.imageio.NdArray;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An nnU-Net v2 checkpoint ({@code checkpoint_final.pth} / {@code checkpoint_best.pth}) as
 * {@code nnUNetTrainer.save_checkpoint} writes it and {@code nnUNetPredictor} / the trainer's
 * {@code load_checkpoint} read it. {@link #write} produces the same top-level keys in the same order
 * with the same Python types (OrderedDict of tensors with {@code _metadata}, numpy float64 {@code _best_ema},
 * numpy scalars in logging, {@code torch.device} in init_args, a tuple of mirroring axes).
 *
 * <p>{@link #networkWeights()} holds nnU-Net's full state_dict (188 entries for 68 tensors in the slim
 * fixture); {@link #canonicalWeights()} / {@link #setCanonicalWeights} convert through {@link StateDictKeys}.
 */
public final class NnUNetCheckpoint {
    /** nnUNetTrainer.save_checkpoint's keys, in its order. */
    public static final List<String> TOP_LEVEL_KEYS = List.of("network_weights", "optimizer_state",
            "grad_scaler_state", "logging", "_best_ema", "current_epoch", "init_args", "trainer_name",
            "inference_allowed_mirroring_axes");

    private LinkedHashMap<String, NdArray> networkWeights = new LinkedHashMap<>();
    private Map<Object, Object> networkWeightsMetadata;
    private OptimizerState optimizerState;
    private Object gradScalerState;
    private TrainingLog logging = TrainingLog.empty();
    private Object bestEma;
    private int currentEpoch;
    private LinkedHashMap<String, Object> initArgs = new LinkedHashMap<>();
    private String trainerName = "nnUNetTrainer";
    private List<Integer> inferenceAllowedMirroringAxes;
    private final LinkedHashMap<String, Object> extras = new LinkedHashMap<>();

    public static NnUNetCheckpoint read(Path file) throws IOException {
        Object root = TorchSerialization.load(file);
        try {
            return fromPickle(root, file.toString());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Writes atomically (temporary file + move) in torch's zip format. */
    public void write(Path file) throws IOException {
        TorchSerialization.save(file, toPickle());
    }

    static NnUNetCheckpoint fromPickle(Object root, String where) {
        if (!(root instanceof Map<?, ?> top)) {
            throw new IllegalArgumentException(where + ": checkpoint root must be a dict, found " + PyValues.typeName(root));
        }
        for (String required : List.of("network_weights", "init_args", "trainer_name")) {
            if (!top.containsKey(required)) {
                throw new IllegalArgumentException(where + ": checkpoint has no '" + required + "'; keys are " + top.keySet());
            }
        }
        NnUNetCheckpoint c = new NnUNetCheckpoint();
        c.networkWeights = StateDictFile.tensors(top.get("network_weights"), where + ": network_weights");
        if (top.get("network_weights") instanceof PyOrderedDict od) {
            c.networkWeightsMetadata = od.metadata();
        }
        Object opt = top.get("optimizer_state");
        c.optimizerState = opt == null ? null : OptimizerState.fromPickle(opt, where);
        c.gradScalerState = top.get("grad_scaler_state");
        c.logging = top.containsKey("logging") ? TrainingLog.fromPickle(top.get("logging"), where) : TrainingLog.empty();
        c.bestEma = top.get("_best_ema");
        if (c.bestEma != null) {
            PyValues.asDouble(c.bestEma, where + ": _best_ema");
        }
        c.currentEpoch = top.containsKey("current_epoch") ? PyValues.asInt(top.get("current_epoch"), where + ": current_epoch") : 0;
        if (!(top.get("init_args") instanceof Map<?, ?> init)) {
            throw new IllegalArgumentException(where + ": init_args must be a dict, found " + PyValues.typeName(top.get("init_args")));
        }
        init.forEach((k, v) -> c.initArgs.put(String.valueOf(k), v));
        if (!(top.get("trainer_name") instanceof String name)) {
            throw new IllegalArgumentException(where + ": trainer_name must be a str, found " + PyValues.typeName(top.get("trainer_name")));
        }
        c.trainerName = name;
        Object axes = top.get("inference_allowed_mirroring_axes");
        if (axes != null) {
            if (!(axes instanceof Object[] || axes instanceof List)) {
                throw new IllegalArgumentException(where + ": inference_allowed_mirroring_axes must be a tuple of ints, found "
                        + PyValues.typeName(axes));
            }
            List<Integer> a = new ArrayList<>();
            for (Object x : axes instanceof Object[] t ? List.of(t) : (List<?>) axes) {
                a.add(PyValues.asInt(x, where + ": inference_allowed_mirroring_axes"));
            }
            c.inferenceAllowedMirroringAxes = a;
        }
        top.forEach((k, v) -> {
            if (!TOP_LEVEL_KEYS.contains(String.valueOf(k))) {
                c.extras.put(String.valueOf(k), v);
            }
        });
        return c;
    }

    Map<Object, Object> toPickle() {
        PyOrderedDict weights = new PyOrderedDict(networkWeights);
        weights.setMetadata(networkWeightsMetadata != null ? networkWeightsMetadata : generatedMetadata());
        Map<Object, Object> top = new LinkedHashMap<>();
        top.put("network_weights", weights);
        top.put("optimizer_state", optimizerState == null ? null : optimizerState.toPickle());
        top.put("grad_scaler_state", gradScalerState);
        top.put("logging", logging.toPickle());
        top.put("_best_ema", bestEma);
        top.put("current_epoch", currentEpoch);
        top.put("init_args", new LinkedHashMap<Object, Object>(initArgs));
        top.put("trainer_name", trainerName);
        top.put("inference_allowed_mirroring_axes",
                inferenceAllowedMirroringAxes == null ? null : inferenceAllowedMirroringAxes.toArray());
        extras.forEach(top::put);
        return top;
    }

    /** PyTorch's per-module {@code _metadata} for our keys, or none for keys outside PlainConvUNet. */
    private Map<Object, Object> generatedMetadata() {
        LinkedHashMap<String, Integer> versions;
        try {
            versions = StateDictKeys.moduleVersions(new ArrayList<>(networkWeights.keySet()));
        } catch (IllegalArgumentException e) {
            return null;
        }
        Map<Object, Object> meta = new PyOrderedDict();
        versions.forEach((module, version) -> {
            Map<Object, Object> v = new LinkedHashMap<>();
            v.put("version", version);
            meta.put(module, v);
        });
        return meta;
    }

    /**
     * init_args as nnUNetTrainer records them: plans and dataset.json (as json.load gives them), the
     * configuration name, the fold (int, or "all") and the device.
     */
    public static LinkedHashMap<String, Object> initArgs(JsonNode plans, String configuration, Object fold,
            JsonNode datasetJson, TorchDevice device) {
        LinkedHashMap<String, Object> a = new LinkedHashMap<>();
        a.put("plans", PyValues.fromJson(plans));
        a.put("configuration", configuration);
        a.put("fold", fold);
        a.put("dataset_json", PyValues.fromJson(datasetJson));
        a.put("device", device);
        return a;
    }

    // ---- network weights

    /** nnU-Net's full state_dict, aliases included, in state_dict order. */
    public Map<String, NdArray> networkWeights() {
        return Collections.unmodifiableMap(networkWeights);
    }

    /** Replaces the full state_dict; the module {@code _metadata} is regenerated on write. */
    public NnUNetCheckpoint setNetworkWeights(Map<String, NdArray> fullStateDict) {
        this.networkWeights = new LinkedHashMap<>(fullStateDict);
        this.networkWeightsMetadata = null;
        return this;
    }

    /** One entry per distinct tensor, named as nnU-Net's optimizer parameters (aliases checked equal). */
    public LinkedHashMap<String, NdArray> canonicalWeights() {
        return StateDictKeys.canonicalize(networkWeights);
    }

    /** Sets the weights from canonical names; nnU-Net's aliases are added in nnU-Net's order. */
    public NnUNetCheckpoint setCanonicalWeights(Map<String, NdArray> canonical) {
        return setNetworkWeights(StateDictKeys.expand(canonical));
    }

    // ---- the rest

    public OptimizerState optimizerState() {
        return optimizerState;
    }

    public NnUNetCheckpoint setOptimizerState(OptimizerState optimizerState) {
        this.optimizerState = optimizerState;
        return this;
    }

    /** None in nnU-Net unless training used a CUDA GradScaler; then its state dict. */
    public Object gradScalerState() {
        return gradScalerState;
    }

    public NnUNetCheckpoint setGradScalerState(Object gradScalerState) {
        this.gradScalerState = gradScalerState;
        return this;
    }

    public TrainingLog logging() {
        return logging;
    }

    public NnUNetCheckpoint setLogging(TrainingLog logging) {
        this.logging = logging;
        return this;
    }

    /** The best EMA pseudo-Dice so far, or null (None) before the first validation. */
    public Double bestEma() {
        return bestEma == null ? null : PyValues.asDouble(bestEma, "_best_ema");
    }

    /** Stores {@code _best_ema} as nnU-Net does: a numpy float64 (null → None). */
    public NnUNetCheckpoint setBestEma(Double bestEma) {
        this.bestEma = bestEma == null ? null : NumpyScalar.float64(bestEma);
        return this;
    }

    /** The raw {@code _best_ema} value (a NumpyScalar in nnU-Net's files). */
    public Object bestEmaRaw() {
        return bestEma;
    }

    public int currentEpoch() {
        return currentEpoch;
    }

    public NnUNetCheckpoint setCurrentEpoch(int currentEpoch) {
        this.currentEpoch = currentEpoch;
        return this;
    }

    public Map<String, Object> initArgs() {
        return Collections.unmodifiableMap(initArgs);
    }

    public NnUNetCheckpoint setInitArgs(Map<String, Object> initArgs) {
        this.initArgs = new LinkedHashMap<>(initArgs);
        return this;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> plans() {
        return (Map<String, Object>) requireInit("plans", Map.class);
    }

    /** The plans as JSON (what nnU-Net also writes as plans.json beside the fold folders). */
    public JsonNode plansJson() {
        return PyValues.toJson(requireInit("plans", Map.class));
    }

    public String configuration() {
        return (String) requireInit("configuration", String.class);
    }

    /** An int fold, or the string "all". */
    public Object fold() {
        return initArgs.get("fold");
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> datasetJson() {
        return (Map<String, Object>) requireInit("dataset_json", Map.class);
    }

    public TorchDevice device() {
        return (TorchDevice) requireInit("device", TorchDevice.class);
    }

    private Object requireInit(String key, Class<?> type) {
        Object v = initArgs.get(key);
        if (!type.isInstance(v)) {
            throw new IllegalStateException("init_args['" + key + "'] should be a " + type.getSimpleName() + ", found "
                    + PyValues.typeName(v));
        }
        return v;
    }

    public String trainerName() {
        return trainerName;
    }

    public NnUNetCheckpoint setTrainerName(String trainerName) {
        this.trainerName = trainerName;
        return this;
    }

    /** Axes test-time mirroring may use, or null (None). */
    public List<Integer> inferenceAllowedMirroringAxes() {
        return inferenceAllowedMirroringAxes;
    }

    public NnUNetCheckpoint setInferenceAllowedMirroringAxes(List<Integer> axes) {
        this.inferenceAllowedMirroringAxes = axes == null ? null : List.copyOf(axes);
        return this;
    }

    /** Top-level entries other trainers add, kept and written back after nnU-Net's keys. */
    public Map<String, Object> extras() {
        return extras;
    }
}
